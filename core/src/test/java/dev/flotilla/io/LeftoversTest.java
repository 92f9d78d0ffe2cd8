package dev.flotilla.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoversTest {
  private static final Pattern TEMP = Pattern.compile("\\.x-[0-9]+\\.tmp");

  @TempDir
  Path dir;

  @Test
  void removesOnlyRegularFilesWithTheWholeNameAndNeverThroughALink() throws IOException {
    var temp = Files.writeString(dir.resolve(".x-123.tmp"), "content");
    var other = Files.writeString(dir.resolve(".x-123.tmp.keep"), "not a temp file");
    var prefixed = Files.writeString(dir.resolve("a.x-123.tmp"), "not a temp file");
    var directory = Files.createDirectory(dir.resolve(".x-456.tmp"));
    var target = Files.writeString(dir.resolve("target"), "linked");
    var link = Files.createSymbolicLink(dir.resolve(".x-789.tmp"), target);
    var linkedDir = Files.createSymbolicLink(dir.resolve("linked"), dir);

    assertThat(Leftovers.remove(dir, TEMP)).containsExactly(temp);
    assertThat(Leftovers.remove(linkedDir, TEMP)).isEmpty();

    assertThat(temp).doesNotExist();
    assertThat(other).exists();
    assertThat(prefixed).exists();
    assertThat(directory).isDirectory();
    assertThat(link).isSymbolicLink();
    assertThat(target).exists();
  }

  @Test
  void aMissingDirectoryHasNone() throws IOException {
    assertThat(Leftovers.remove(dir.resolve("missing"), TEMP)).isEmpty();
  }

  @Test
  void keysRemoveTheTempFileAnInterruptedKeyWriteLeft() throws IOException {
    var leftover = Files.writeString(dir.resolve(".key-4242.tmp"), "-----BEGIN PRIVATE KEY-----");
    Keys.writePrivate(dir.resolve("device.pem"), Keys.generate().getPrivate());

    assertThat(Keys.removeTempFiles(dir)).containsExactly(leftover);
    assertThat(dir.resolve("device.pem")).exists();
  }
}
