package dev.flotilla.agent.host.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarballTest {
  @TempDir
  Path dir;

  @Test
  void unpacksFilesDirectoriesAndInnerSymlinksWithTheirModes() throws IOException {
    var target = Files.createDirectory(dir.resolve("v1"));

    Tarball.unpack(tar(entry("bin/", '5', "", ""), entry("bin/app", '0', "#!/bin/sh\n", ""),
        entry("app", '2', "", "bin/app")), target);

    assertThat(target.resolve("bin/app")).hasContent("#!/bin/sh");
    assertThat(Files.isExecutable(target.resolve("bin/app"))).isTrue();
    assertThat(Files.readSymbolicLink(target.resolve("app"))).hasToString("bin/app");
  }

  @Test
  void refusesAnEntryWithDotDot() throws IOException {
    var target = Files.createDirectory(dir.resolve("v1"));

    assertThatThrownBy(() -> Tarball.unpack(tar(entry("../evil", '0', "x", "")), target))
        .hasMessage("unpack: entry '../evil' points outside the app directory");
    assertThat(dir.resolve("evil")).doesNotExist();
  }

  @Test
  void refusesAnAbsoluteEntry() throws IOException {
    var target = Files.createDirectory(dir.resolve("v1"));

    assertThatThrownBy(() -> Tarball.unpack(tar(entry("/tmp/evil", '0', "x", "")), target))
        .hasMessage("unpack: entry '/tmp/evil' points outside the app directory");
  }

  @Test
  void refusesASymlinkLeavingTheDirectoryAndWritingThroughOne() throws IOException {
    var target = Files.createDirectory(dir.resolve("v1"));

    assertThatThrownBy(() -> Tarball.unpack(tar(entry("etc", '2', "", "../../etc")), target))
        .hasMessage("unpack: symlink 'etc' -> '../../etc' leaves the app directory");
    assertThatThrownBy(() -> Tarball.unpack(tar(entry("lib", '2', "", "bin"), entry("bin/", '5', "", ""),
        entry("lib/x", '0', "x", "")), Files.createDirectory(dir.resolve("v2"))))
        .hasMessage("unpack: entry 'lib/x' goes through a symlink");
  }

  @Test
  void refusesAHardLink() throws IOException {
    var target = Files.createDirectory(dir.resolve("v1"));

    assertThatThrownBy(() -> Tarball.unpack(tar(entry("shadow", '1', "", "/etc/shadow")), target))
        .hasMessageStartingWith("unpack: entry 'shadow' is of type '1'");
  }

  private static byte[] entry(String name, char type, String content, String link) {
    var data = content.getBytes(StandardCharsets.UTF_8);
    var header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000755");
    put(header, 124, String.format("%011o", data.length));
    header[156] = (byte) type;
    put(header, 157, link);
    put(header, 257, "ustar");
    var out = new ByteArrayOutputStream();
    out.writeBytes(header);
    out.writeBytes(data);
    out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    return out.toByteArray();
  }

  private static void put(byte[] header, int offset, String text) {
    var bytes = text.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }

  private Path tar(byte[]... entries) throws IOException {
    var file = Files.createTempFile(dir, "a", ".tar.gz");
    try (var out = new GZIPOutputStream(Files.newOutputStream(file))) {
      for (var e : entries) {
        out.write(e);
      }
      out.write(new byte[1024]);
    }
    return file;
  }
}
