package dev.flotilla.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {
  @TempDir
  Path dir;

  @Test
  void privateKeyIsWrittenMode0600AndReadsBack() throws Exception {
    var pair = Keys.generate();
    var file = dir.resolve("keys/signer.pem");
    Keys.writePrivate(file, pair.getPrivate());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    var data = "hello".getBytes();
    assertThat(Keys.verify(pair.getPublic(), data, Keys.sign(Keys.readPrivate(file), data))).isTrue();
  }

  @Test
  void refusesToOverwriteAKey() throws Exception {
    var file = dir.resolve("signer.pem");
    Keys.writePrivate(file, Keys.generate().getPrivate());

    assertThatThrownBy(() -> Keys.writePrivate(file, Keys.generate().getPrivate()))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void publicPemRoundTripsEvenIndentedAsInYaml() {
    var key = Keys.generate().getPublic();
    var indented = Keys.publicPem(key).lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n");

    assertThat(Keys.keyId(Keys.parsePublicPem(indented))).isEqualTo(Keys.keyId(key)).hasSize(64);
  }

  @Test
  void verifyReturnsFalseForGarbageSignatures() {
    assertThat(Keys.verify(Keys.generate().getPublic(), new byte[] {1}, new byte[] {0, 1, 2})).isFalse();
  }
}
