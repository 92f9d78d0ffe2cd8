package dev.flotilla.agent.host.files;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.digest.Digest;
import dev.flotilla.plan.ObservedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFilesTest {
  @TempDir
  Path root;
  @TempDir
  Path outside;
  HostFiles files;

  @BeforeEach
  void setUp() {
    files = new HostFiles(root, List.of("/etc/kiosk", "/etc/motd"));
  }

  @Test
  void namesTheAncestorThatIsNotADirectory() throws IOException {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/kiosk"), "a file\n");

    assertThatThrownBy(() -> files.write("/etc/kiosk/ui.d/kiosk.conf", "x\n".getBytes(UTF_8), "0644", null, null))
        .hasMessage("write file '/etc/kiosk/ui.d/kiosk.conf': '/etc/kiosk' is not a directory; remove or rename it on "
            + "the device, or change the path in the fleet");
  }

  @Test
  void writesContentAndModeAtomically() throws IOException {
    files.write("/etc/kiosk/app.conf", "url=a\n".getBytes(UTF_8), "0640", null, null);
    var target = root.resolve("etc/kiosk/app.conf");
    var before = inode(target);

    files.write("/etc/kiosk/app.conf", "url=b\n".getBytes(UTF_8), "600", null, null);

    assertThat(target).hasContent("url=b");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    assertThat(inode(target)).as("replaced by a rename, not rewritten in place").isNotEqualTo(before);
  }

  @Test
  void createsMissingParentDirectoriesWithMode0755() throws IOException {
    files.write("/etc/kiosk/a/b/c.conf", "x".getBytes(UTF_8), "0644", null, null);

    assertThat(root.resolve("etc/kiosk/a/b/c.conf")).hasContent("x");
    for (var dir : List.of("etc", "etc/kiosk", "etc/kiosk/a", "etc/kiosk/a/b")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(dir))))
          .as(dir).isEqualTo("rwxr-xr-x");
    }
  }

  @Test
  void refusesPathOutsideAllowedPrefixes() {
    assertThatThrownBy(() -> files.write("/etc/kiosk-evil/a.conf", new byte[0], "0644", null, null))
        .isInstanceOf(HostPathException.class)
        .hasMessage("write file '/etc/kiosk-evil/a.conf': outside the allowed paths (/etc/kiosk, /etc/motd); "
            + "add its directory to allowedPaths in the agent config");
    assertThatThrownBy(() -> files.write("/etc/shadow", new byte[0], "0644", null, null))
        .isInstanceOf(HostPathException.class);
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void allowsAnExactlyAllowedFile() throws IOException {
    files.write("/etc/motd", "hi\n".getBytes(UTF_8), "0644", null, null);

    assertThat(root.resolve("etc/motd")).hasContent("hi");
  }

  @Test
  void refusesDotDot() {
    assertThatThrownBy(() -> files.write("/etc/kiosk/../shadow", new byte[0], "0644", null, null))
        .isInstanceOf(HostPathException.class)
        .hasMessage("write file '/etc/kiosk/../shadow': path has an empty, '.' or '..' segment; "
            + "write the normalised absolute path");
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void refusesRelativePath() {
    assertThatThrownBy(() -> files.write("etc/kiosk/a.conf", new byte[0], "0644", null, null))
        .isInstanceOf(HostPathException.class)
        .hasMessage("write file 'etc/kiosk/a.conf': not an absolute path to a file");
  }

  @Test
  void refusesSymlinkedParentPointingOutside() throws IOException {
    Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc/kiosk"), outside);

    assertThatThrownBy(() -> files.write("/etc/kiosk/a.conf", "x".getBytes(UTF_8), "0644", null, null))
        .isInstanceOf(HostPathException.class)
        .hasMessage("write file '/etc/kiosk/a.conf': '/etc/kiosk' is a symlink; "
            + "the agent does not write through symlinks, declare the real path");
    assertThat(outside).isEmptyDirectory();
    assertThat(files.observe("/etc/kiosk/a.conf")).isEqualTo(ObservedFile.symlinked("/etc/kiosk/a.conf"));
  }

  @Test
  void refusesSymlinkFile() throws IOException {
    var victim = Files.writeString(outside.resolve("passwd"), "root:x:0:0\n");
    Files.createDirectories(root.resolve("etc/kiosk"));
    Files.createSymbolicLink(root.resolve("etc/kiosk/a.conf"), victim);

    assertThatThrownBy(() -> files.write("/etc/kiosk/a.conf", "x".getBytes(UTF_8), "0644", null, null))
        .isInstanceOf(HostPathException.class)
        .hasMessageContaining("'/etc/kiosk/a.conf' is a symlink");
    assertThatThrownBy(() -> files.delete("/etc/kiosk/a.conf"))
        .hasMessageStartingWith("delete file '/etc/kiosk/a.conf': '/etc/kiosk/a.conf' is a symlink");
    assertThat(victim).hasContent("root:x:0:0");
    assertThat(root.resolve("etc/kiosk/a.conf")).isSymbolicLink();
  }

  @Test
  void leavesNoTempFileAfterSuccessOrFailure() throws IOException {
    files.write("/etc/kiosk/a.conf", "one".getBytes(UTF_8), "0644", null, null);

    assertThatThrownBy(() -> files.write("/etc/kiosk/a.conf", "two".getBytes(UTF_8), "0644",
        "no-such-user-flotilla", null))
        .hasMessage("set owner of '/etc/kiosk/a.conf': no such user 'no-such-user-flotilla'");
    assertThatThrownBy(() -> files.write("/etc/kiosk/b.conf", "two".getBytes(UTF_8), "0644", null,
        "no-such-group-flotilla"))
        .hasMessage("set group of '/etc/kiosk/b.conf': no such group 'no-such-group-flotilla'");

    assertThat(names(root.resolve("etc/kiosk"))).containsExactly("a.conf");
    assertThat(root.resolve("etc/kiosk/a.conf")).hasContent("one");
  }

  @Test
  void setsOwnerAndGroupByNameOrId() throws IOException {
    files.write("/etc/kiosk/a.conf", "x".getBytes(UTF_8), "0644", "nobody", "65534");

    var byName = files.observe("/etc/kiosk/a.conf");
    var byId = files.observe("/etc/kiosk/a.conf", "0", "0");
    assertThat(byName.owner()).isEqualTo("nobody");
    assertThat(byName.group()).isEqualTo("nogroup");
    assertThat(byId.owner()).isEqualTo("65534");
    assertThat(byId.group()).isEqualTo("65534");
  }

  @Test
  void observesContentModeAndAbsence() throws IOException {
    files.write("/etc/kiosk/a.conf", "hello\n".getBytes(UTF_8), "0640", "root", "root");

    assertThat(files.observe("/etc/kiosk/a.conf")).isEqualTo(new ObservedFile("/etc/kiosk/a.conf", true,
        Digest.sha256("hello\n".getBytes(UTF_8)).toString(), "0640", "root", "root", false));
    assertThat(files.observe("/etc/kiosk/missing.conf")).isEqualTo(ObservedFile.missing("/etc/kiosk/missing.conf"));
    assertThat(files.observe("/etc/kiosk/a.conf/under-a-file")).extracting(ObservedFile::exists).isEqualTo(false);
  }

  @Test
  void deletesFileButRefusesDirectory() throws IOException {
    files.write("/etc/kiosk/a.conf", "x".getBytes(UTF_8), "0644", null, null);
    Files.createDirectories(root.resolve("etc/kiosk/dir"));

    files.delete("/etc/kiosk/a.conf");
    files.delete("/etc/kiosk/a.conf");

    assertThat(root.resolve("etc/kiosk/a.conf")).doesNotExist();
    assertThatThrownBy(() -> files.delete("/etc/kiosk/dir"))
        .hasMessage("delete file '/etc/kiosk/dir': is a directory; the agent deletes only files");
  }

  @Test
  void refusesInvalidModeBeforeWriting() {
    assertThatThrownBy(() -> files.write("/etc/kiosk/a.conf", "x".getBytes(UTF_8), "0999", null, null))
        .hasMessage("write file '/etc/kiosk/a.conf': invalid mode '0999'; use octal digits such as '0644'");
    assertThat(root).isEmptyDirectory();
  }

  private static Object inode(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void removesTheTempFileAnInterruptedWriteLeftAndNothingElse() throws IOException {
    var kiosk = Files.createDirectories(root.resolve("etc/kiosk"));
    var leftover = Files.writeString(kiosk.resolve(".app.conf.8812.flotilla-tmp"), "url=b\n");
    var lookalike = Files.writeString(kiosk.resolve(".app.conf.flotilla-tmp"), "someone else's\n");

    assertThat(files.removeTempFiles(List.of("/etc/kiosk"))).containsExactly("/etc/kiosk/.app.conf.8812.flotilla-tmp");
    assertThat(leftover).doesNotExist();
    assertThat(lookalike).exists();
  }

  @Test
  void removesNoTempFileThroughASymlinkedDirectoryOrOutsideTheAllowedPaths() throws IOException {
    Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc/kiosk"), outside);
    var behindLink = Files.writeString(outside.resolve(".app.conf.8812.flotilla-tmp"), "x\n");
    var notAllowed = Files.writeString(Files.createDirectories(root.resolve("opt")).resolve(".a.1.flotilla-tmp"),
        "x\n");

    assertThat(files.removeTempFiles(List.of("/etc/kiosk", "/opt"))).isEmpty();
    assertThat(behindLink).exists();
    assertThat(notAllowed).exists();
  }

  @Test
  void aWriteLeavesNoTempFileBehind() throws IOException {
    files.write("/etc/kiosk/app.conf", "url=a\n".getBytes(UTF_8), "0640", null, null);

    assertThat(files.removeTempFiles(List.of("/etc/kiosk"))).isEmpty();
    try (Stream<Path> entries = Files.list(root.resolve("etc/kiosk"))) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("app.conf");
    }
  }
}
