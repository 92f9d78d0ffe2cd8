package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallersTest {
  static final InetAddress LOOPBACK = Callers.literal("127.0.0.1");
  static final InetAddress REMOTE = Callers.literal("192.0.2.7");
  static final InetAddress PROXY_2 = Callers.literal("10.0.0.2");

  @Test
  void operatorTokenIsRequiredFromLoopbackToo() {
    var callers = new Callers("s3cret", List.of());

    assertThat(callers.operator((String) null)).isFalse();
    assertThat(callers.operator("Bearer wrong")).isFalse();
    assertThat(callers.operator("Basic s3cret")).isFalse();
    assertThat(callers.operator("Bearer s3cret")).isTrue();
  }

  @Test
  void refusesToServeOperatorRoutesWithoutAToken() {
    assertThatThrownBy(() -> new Callers((String) null, List.of())).hasMessage(
        "serve operator endpoints: no operator token; configure one");
    assertThatThrownBy(() -> new Callers(" ", List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void forwardedForFromAnUntrustedPeerIsIgnored() {
    var callers = new Callers("t", List.of(LOOPBACK));

    assertThat(callers.source(REMOTE, List.of("203.0.113.9"))).isEqualTo("192.0.2.7");
    assertThat(callers.source(REMOTE, null)).isEqualTo("192.0.2.7");
  }

  @Test
  void forwardedForFromATrustedProxyIsHonouredRightMostFirst() {
    var callers = new Callers("t", List.of(LOOPBACK, PROXY_2));

    assertThat(callers.source(LOOPBACK, List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
    // a client may put anything on the left; the proxy appends the address it saw
    assertThat(callers.source(LOOPBACK, List.of("198.51.100.1, 203.0.113.9"))).isEqualTo("203.0.113.9");
    assertThat(callers.source(LOOPBACK, List.of("203.0.113.9, 10.0.0.2"))).isEqualTo("203.0.113.9");
    assertThat(callers.source(LOOPBACK, List.of("203.0.113.9", "10.0.0.2"))).isEqualTo("203.0.113.9");
    assertThat(callers.source(LOOPBACK, List.of("2001:db8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(callers.source(LOOPBACK, null)).isEqualTo("127.0.0.1");
  }

  @Test
  void garbageInForwardedForFallsBackToTheLastTrustedHop() {
    var callers = new Callers("t", List.of(LOOPBACK, PROXY_2));

    assertThat(callers.source(LOOPBACK, List.of("evil.example"))).isEqualTo("127.0.0.1");
    assertThat(callers.source(LOOPBACK, List.of("evil.example, 10.0.0.2"))).isEqualTo("10.0.0.2");
  }

  @Test
  void literalsAreNeverLookedUp() {
    assertThat(Callers.literal("localhost")).isNull();
    assertThat(Callers.literal("[::1]")).isEqualTo(Callers.literal("::1"));
    assertThat(Callers.literal("10.0.0.2")).isEqualTo(PROXY_2);
  }
}
