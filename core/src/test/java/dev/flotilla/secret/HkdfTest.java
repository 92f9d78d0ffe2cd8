package dev.flotilla.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HkdfTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void matchesRfc5869TestCaseOne() {
    var ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    var salt = HEX.parseHex("000102030405060708090a0b0c");
    var info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    var prk = Hkdf.extract(salt, ikm);
    assertThat(HEX.formatHex(prk))
        .isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    assertThat(HEX.formatHex(Hkdf.expand(prk, info, 42))).isEqualTo("3cb25f25faacd57a90434f64d0362f2a"
        + "2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void matchesRfc5869TestCaseThreeWithoutSaltOrInfo() {
    var ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    var okm = Hkdf.expand(Hkdf.extract(new byte[0], ikm), new byte[0], 42);
    assertThat(HEX.formatHex(okm)).isEqualTo("8da4e775a563c18f715f802a063c5a31"
        + "b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }
}
