package dev.flotilla.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleBytesTest {
  @TempDir
  Path dir;

  @Test
  void refusesAFileOverTheCapWithoutReadingIt() throws IOException {
    var file = dir.resolve("big.json");
    try (var sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(BundleFormat.MAX_BYTES + 1024L); // no data written: a read would take a while, this does not
    }

    assertThatThrownBy(() -> BundleBytes.read(file))
        .isInstanceOf(BundleBytes.TooLarge.class)
        .hasMessage("read bundle '" + file + "': it is 16778240 bytes, over the cap of 16 MiB (16777216 bytes)");
  }

  @Test
  void readsAFileUpToTheCap() throws IOException {
    var file = Files.write(dir.resolve("b.json"), "{}".getBytes());

    assertThat(BundleBytes.read(file)).isEqualTo("{}".getBytes());
  }

  @Test
  void refusesAnAnnouncedLengthOverTheCapBeforeReading() {
    var unread = new InputStream() {
      @Override
      public int read() {
        throw new AssertionError("read a stream whose announced length is over the cap");
      }
    };

    assertThatThrownBy(() -> BundleBytes.read(unread, BundleFormat.MAX_BYTES + 1L, "fetch bundle"))
        .isInstanceOf(BundleBytes.TooLarge.class)
        .hasMessage("fetch bundle: it is 16777217 bytes, over the cap of 16 MiB (16777216 bytes)");
  }

  @Test
  void cutsOffAStreamWithoutLengthAtTheCap() {
    var endless = new CountingZeros();

    assertThatThrownBy(() -> BundleBytes.read(endless, -1, "fetch bundle"))
        .isInstanceOf(BundleBytes.TooLarge.class)
        .hasMessage("fetch bundle: it goes on past the cap of 16 MiB (16777216 bytes)");
    assertThat(endless.served).isLessThanOrEqualTo(BundleFormat.MAX_BYTES + 8192L);
  }

  @Test
  void refusesMoreBytesThanAnnounced() {
    var in = new ByteArrayInputStream(new byte[10]);

    assertThatThrownBy(() -> BundleBytes.read(in, 4, "fetch bundle"))
        .isInstanceOf(BundleBytes.TooLarge.class)
        .hasMessage("fetch bundle: it holds more than the 4 bytes it announced");
  }

  @Test
  void refusesFewerBytesThanAnnounced() {
    var in = new ByteArrayInputStream(new byte[3]);

    assertThatThrownBy(() -> BundleBytes.read(in, 4, "fetch bundle"))
        .isNotInstanceOf(BundleBytes.TooLarge.class)
        .hasMessage("fetch bundle: it ended after 3 of 4 bytes");
  }

  /** An endless stream of zeros that counts what it served. */
  static final class CountingZeros extends InputStream {
    long served;

    @Override
    public int read() {
      served++;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      served += len;
      return len;
    }
  }
}
