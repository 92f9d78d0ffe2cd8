package dev.flotilla.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.agent.AgentLoop;
import dev.flotilla.agent.AgentService;
import dev.flotilla.agent.TestDevice;
import dev.flotilla.model.AgentConfig;
import dev.flotilla.model.MetricsEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify against a real unix datagram socket, the way systemd listens on $NOTIFY_SOCKET. */
class SdNotifyIT {
  @TempDir
  Path dir;

  @Test
  void sendsTheStateAsOneDatagram() throws Exception {
    var path = dir.resolve("notify").toString();
    try (var socket = new NotifySocket(path)) {
      SdNotify.of(path).orElseThrow().send("READY=1");
      assertThat(socket.receive()).isEqualTo("READY=1");
    }
  }

  @Test
  void reachesAnAbstractSocket() throws Exception {
    var name = "@flotilla-test-" + ProcessHandle.current().pid();
    try (var socket = new NotifySocket(name)) {
      SdNotify.of(name).orElseThrow().send("WATCHDOG=1");
      assertThat(socket.receive()).isEqualTo("WATCHDOG=1");
    }
  }

  @Test
  void isOffWithoutANotifySocket() {
    assertThat(SdNotify.of(null)).isEmpty();
    assertThat(SdNotify.of("")).isEmpty();
  }

  @Test
  void failsNamingTheSocketWhenNobodyListens() {
    var path = dir.resolve("nobody").toString();
    assertThatThrownBy(() -> SdNotify.of(path).orElseThrow().send("READY=1"))
        .hasMessageStartingWith("notify systemd at '" + path + "': sendto: errno ");
  }

  @Test
  void watchdogPingsAtHalfTheTimeoutForThisProcessOnly() {
    assertThat(Watchdog.interval("10000000", null, 42)).contains(Duration.ofSeconds(5));
    assertThat(Watchdog.interval("10000000", "42", 42)).contains(Duration.ofSeconds(5));
    assertThat(Watchdog.interval("10000000", "43", 42)).isEmpty();
    assertThat(Watchdog.interval(null, null, 42)).isEmpty();
    assertThat(Watchdog.interval("0", null, 42)).isEmpty();
  }

  @Test
  void theServiceSaysReadyOnceTheLastGoodStateIsBackThenPingsTheWatchdog() throws Exception {
    var device = new TestDevice(dir);
    Files.writeString(device.host.resolve("etc/machine-id"), "0123456789abcdef0123456789abcdef\n");
    var config = config(device);
    var path = dir.resolve("notify").toString();
    try (var socket = new NotifySocket(path)) {
      var service = new AgentService(config, Duration.ofSeconds(30), line -> {},
          new AgentService.Systemd(path, "200000", null));
      var loop = new CompletableFuture<AgentLoop>();
      var thread = Thread.ofPlatform().start(() -> {
        try {
          service.run(Clock.systemUTC(), loop::complete);
        } catch (Exception e) {
          loop.completeExceptionally(e);
        }
      });
      try {
        var first = socket.receive();
        var second = socket.receive();
        assertThat(List.of(first, second)).contains("READY=1", "WATCHDOG=1");
      } finally {
        loop.get().close();
        thread.join();
      }
      assertThat(receiveUntil(socket, "STOPPING=1")).isEqualTo("STOPPING=1");
    }
  }

  private static String receiveUntil(NotifySocket socket, String wanted) {
    String message;
    do {
      message = socket.receive();
    } while (!message.equals(wanted));
    return message;
  }

  private static AgentConfig config(TestDevice device) throws Exception {
    var config = device.config();
    var metrics = new MetricsEndpoint();
    metrics.setListen("127.0.0.1:0");
    config.setMetrics(metrics);
    return config;
  }
}
