package dev.flotilla.digest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class DigestTest {
  private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void writesSha256OfBytesAsTheFleetFilesDo() {
    assertThat(Digest.sha256("abc".getBytes(UTF_8)).toString()).isEqualTo("sha256:" + ABC);
    assertThat(Digest.sha256("abc".getBytes(UTF_8)).hex()).isEqualTo(ABC);
  }

  @Test
  void streamGivesTheSameDigestAsBytes() throws IOException {
    var bytes = new byte[200_000];
    bytes[123_456] = 7;
    assertThat(Digest.sha256(new ByteArrayInputStream(bytes))).isEqualTo(Digest.sha256(bytes));
  }

  @Test
  void parseReadsWhatToStringWrites() {
    var digest = Digest.sha256(new byte[0]);
    assertThat(Digest.parse(digest.toString())).isEqualTo(digest);
  }

  @Test
  void refusesTextThatIsNotASha256Digest() {
    assertThatThrownBy(() -> Digest.parse("sha512:" + ABC))
        .hasMessage("read digest: 'sha512:" + ABC + "' does not start with 'sha256:'");
    assertThatThrownBy(() -> Digest.parse("sha256:" + ABC.toUpperCase()))
        .hasMessage("read digest: '" + ABC.toUpperCase() + "' is not 64 lowercase hex digits");
    assertThatThrownBy(() -> Digest.parse("sha256:abc")).isInstanceOf(IllegalArgumentException.class);
  }
}
