package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestBodyTest {
  @Test
  void readsADeclaredLengthIntoAnArrayOfThatSize() throws Exception {
    var exchange = new FakeExchange("POST", "/v1/devices/a/status", "127.0.0.1", "{\"a\":1}".getBytes())
        .header("Content-Length", "7");

    assertThat(RequestBody.read(exchange, 16, "status report")).isEqualTo("{\"a\":1}".getBytes());
  }

  @Test
  void returnsWhatCameWhenTheBodyIsShorterThanDeclared() throws Exception {
    var exchange = new FakeExchange("POST", "/v1/devices/a/status", "127.0.0.1", "abc".getBytes())
        .header("Content-Length", "10");

    assertThat(RequestBody.read(exchange, 16, "status report")).isEqualTo("abc".getBytes());
  }

  @Test
  void refusesADeclaredLengthOverTheLimitWithoutReading() {
    var exchange = new FakeExchange("POST", "/v1/devices/a/status", "127.0.0.1", new byte[32])
        .header("Content-Length", "32");

    assertThatThrownBy(() -> RequestBody.read(exchange, 16, "status report"))
        .hasMessage("status report: body over 16 bytes");
    assertThat(exchange.bodyRead()).isZero();
  }

  @Test
  void refusesAnUndeclaredBodyOverTheLimit() {
    var exchange = new FakeExchange("POST", "/v1/devices/a/status", "127.0.0.1", new byte[32]);

    assertThatThrownBy(() -> RequestBody.read(exchange, 16, "status report"))
        .hasMessage("status report: body over 16 bytes");
  }
}
