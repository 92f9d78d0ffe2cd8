package dev.flotilla.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoardAuthTest {
  @Test
  void theCookieKeepsAnyTokenAndIsHttpOnlySecureAndStrict() {
    var set = BoardAuth.setCookie("tok;en=with spaces");
    assertThat(set).contains("; Path=/ui/; HttpOnly; Secure; SameSite=Strict; Max-Age=43200");
    var value = set.substring(0, set.indexOf(';'));
    assertThat(BoardAuth.cookie("other=1; " + value + "; more=2")).isEqualTo("tok;en=with spaces");
  }

  @Test
  void noCookieOrAMalformedOneIsNoToken() {
    assertThat(BoardAuth.cookie("other=1")).isNull();
    assertThat(BoardAuth.cookie(BoardAuth.COOKIE + "=%%%")).isNull();
    assertThat(BoardAuth.clearCookie()).startsWith(BoardAuth.COOKIE + "=;").endsWith("Max-Age=0");
  }

  @Test
  void queryParametersAreDecodedAndMalformedOnesLeftOut() {
    var params = Board.params("tenant=acme%2Dretail&device=&since=1h&bad=%zz&tenant=second");
    assertThat(params).containsEntry("tenant", "acme-retail").containsEntry("device", "")
        .containsEntry("since", "1h").doesNotContainKey("bad");
  }
}
