package dev.flotilla.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a long-poll (the agent stopping) closes its request whenever it comes: before the request is opened,
 * while it connects, or while it waits for the answer. A server socket that never answers stands in for the
 * reconciler holding a long-poll; every connection it accepts must be closed by the client long before the
 * request's own timeout (the wait plus 15 s).
 */
class BundleClientCancelIT {
  @Test
  void aCancelledFetchLeavesNoRequestOpenWheneverItComes() throws Exception {
    try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      var client = new BundleClient(URI.create("http://127.0.0.1:" + server.getLocalPort()), null, "kiosk-1",
          Keys.generate().getPrivate(), Clock.systemUTC());
      var wait = Duration.ofSeconds(120);
      var fetches = new ArrayList<java.util.concurrent.CompletableFuture<BundleClient.Fetch>>();
      var accepted = new ArrayList<Socket>();
      var waiting = client.fetchAsync("\"e1\"", wait);
      accepted.add(server.accept()); // this one is surely waiting for its answer when cancelled
      waiting.cancel(true);
      fetches.add(waiting);
      for (int i = 0; i < 20; i++) {
        var fetch = client.fetchAsync("\"e1\"", wait);
        if (i % 2 == 1) {
          Thread.sleep(i * 10L); // later ones are mid-connect or waiting for the answer
        }
        fetch.cancel(true);
        fetches.add(fetch);
      }

      server.setSoTimeout(3_000);
      try {
        while (true) {
          accepted.add(server.accept());
        }
      } catch (SocketTimeoutException e) {
        // no request came for 3 s
      }
      var open = new ArrayList<String>();
      var deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      for (var socket : accepted) {
        try (socket) {
          socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
          while (socket.getInputStream().read() != -1) {
            // the request line and headers; then the client must hang up
          }
        } catch (SocketTimeoutException e) {
          open.add(socket.getRemoteSocketAddress().toString());
        } catch (IOException e) {
          // reset by the client: closed too
        }
      }

      assertThat(open).as("requests still open 20 s after their fetch was cancelled").isEmpty();
      assertThat(fetches).allMatch(f -> f.isCancelled() && f.isCompletedExceptionally());
      assertThat(fetches.getFirst()).failsWithin(Duration.ZERO).withThrowableThat()
          .isInstanceOf(CancellationException.class);
    }
  }
}
