package dev.flotilla.cli.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.trust.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseSumsTest {
  @TempDir
  Path dir;

  @Test
  void signsTheSumsOfEveryFileAndChecksThemBack() throws Exception {
    var key = Keys.generate();
    Files.writeString(dir.resolve("b.deb"), "b");
    Files.writeString(dir.resolve("a.cdx.json"), "a");
    assertThat(ReleaseSums.write(dir, key.getPrivate())).extracting(p -> p.getFileName().toString())
        .containsExactly("a.cdx.json", "b.deb");
    assertThat(Files.readString(dir.resolve(ReleaseSums.SUMS))).isEqualTo(
        "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  a.cdx.json\n"
        + "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  b.deb\n");
    assertThat(ReleaseSums.check(dir, key.getPublic()).ok()).isTrue();
  }

  @Test
  void namesAChangedOrMissingFileAndAForeignSignature() throws Exception {
    var key = Keys.generate();
    Files.writeString(dir.resolve("a.deb"), "a");
    Files.writeString(dir.resolve("b.deb"), "b");
    ReleaseSums.write(dir, key.getPrivate());
    Files.writeString(dir.resolve("a.deb"), "changed");
    Files.delete(dir.resolve("b.deb"));
    var checked = ReleaseSums.check(dir, Keys.generate().getPublic());
    assertThat(checked.signatureValid()).isFalse();
    assertThat(checked.problems()).containsExactly("'a.deb': sha256 differs from SHA256SUMS", "'b.deb': missing");
    assertThat(checked.ok()).isFalse();
  }

  @Test
  void refusesAPathInTheSumsFile() throws Exception {
    var key = Keys.generate();
    var bytes = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  ../etc/passwd\n".getBytes();
    Files.write(dir.resolve(ReleaseSums.SUMS), bytes);
    Files.write(dir.resolve(ReleaseSums.SIGNATURE), Keys.sign(key.getPrivate(), bytes));
    assertThat(ReleaseSums.check(dir, key.getPublic()).problems())
        .containsExactly("malformed line in SHA256SUMS: '../etc/passwd' is not a file name");
  }
}
