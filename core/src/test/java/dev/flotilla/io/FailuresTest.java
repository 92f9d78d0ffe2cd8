package dev.flotilla.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK's own exceptions, made for real on temp files and loopback, each described in words. */
class FailuresTest {
  @TempDir
  Path dir;

  @Test
  void fileFailuresNameThePathAndWhatIsWrong() throws IOException {
    var missing = dir.resolve("missing.pem");
    var file = Files.writeString(dir.resolve("a-file"), "x");

    assertThat(describe(() -> Files.readString(missing))).isEqualTo("'" + missing + "': no such file or directory");
    assertThat(describe(() -> Files.createDirectory(file))).isEqualTo("'" + file + "': it exists");
    assertThat(describe(() -> Files.createDirectories(file.resolve("sub"))))
        .isEqualTo("'" + file.resolve("sub") + "': not a directory");
    assertThat(describe(() -> Files.newDirectoryStream(file).close())).isEqualTo("'" + file + "': not a directory");
    assertThat(describe(() -> {
      try (var walk = Files.walk(missing)) {
        walk.count();
      }
    })).isEqualTo("'" + missing + "': no such file or directory");
  }

  @Test
  void aRefusedConnectionSaysSo() throws IOException {
    int port;
    try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = server.getLocalPort();
    }
    var failure = describe(() -> new Socket(InetAddress.getLoopbackAddress(), port).close());

    assertThat(failure).isEqualTo("connection refused");
    assertThat(Failures.describe(new ConnectException())).isEqualTo("connection refused");
  }

  @Test
  void otherExceptionsGiveTheirMessageOrTheirName() {
    assertThat(Failures.describe(new IOException("read key 'k': not PEM"))).isEqualTo("read key 'k': not PEM");
    assertThat(Failures.describe(new UncheckedIOException(new java.nio.file.NoSuchFileException("/x"))))
        .isEqualTo("'/x': no such file or directory");
    assertThat(Failures.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
  }

  interface Action {
    void run() throws IOException;
  }

  private static String describe(Action action) {
    try {
      action.run();
    } catch (IOException | UncheckedIOException e) {
      return Failures.describe(e);
    }
    throw new AssertionError("expected a failure");
  }
}
