package dev.flotilla.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads a signed bundle's bytes from a file or a stream, never more than {@link BundleFormat#MAX_BYTES}: a size
 * known beforehand (a file's, an announced Content-Length) over the cap is refused before anything is read or
 * allocated, and a stream that goes on past the cap is cut off there. A known size is read into one array of that
 * size, with no intermediate buffers.
 */
public final class BundleBytes {
  /** A bundle over the cap: refused, and nothing of it kept. */
  public static final class TooLarge extends IOException {
    TooLarge(String message) {
      super(message);
    }
  }

  private BundleBytes() {}

  /**
   * The bytes of the bundle file {@code file}.
   *
   * @throws TooLarge when the file is over the cap, before reading it
   */
  public static byte[] read(Path file) throws IOException {
    try (var channel = FileChannel.open(file)) {
      return read(Channels.newInputStream(channel), channel.size(), "read bundle '" + file + "'");
    }
  }

  /**
   * The bytes of a bundle from {@code in}, which the caller closes.
   *
   * @param announced how many bytes the source says it holds (a file's size, a Content-Length), or -1 if unknown
   * @param action what is being done, for messages: {@code fetch bundle}
   * @throws TooLarge when {@code announced} is over the cap (nothing is read), or the stream goes on past the cap or
   *     past what was announced (reading stops there)
   */
  public static byte[] read(InputStream in, long announced, String action) throws IOException {
    if (announced > BundleFormat.MAX_BYTES) {
      throw new TooLarge(action + ": it is " + announced + " bytes, over the cap of " + BundleFormat.cap());
    }
    if (announced < 0) {
      return readUnannounced(in, action);
    }
    var bytes = new byte[(int) announced];
    int read = in.readNBytes(bytes, 0, bytes.length);
    if (read < bytes.length) {
      throw new IOException(action + ": it ended after " + read + " of " + announced + " bytes");
    }
    if (in.read() != -1) {
      throw new TooLarge(action + ": it holds more than the " + announced + " bytes it announced");
    }
    return bytes;
  }

  private static byte[] readUnannounced(InputStream in, String action) throws IOException {
    var out = new ByteArrayOutputStream();
    var buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) != -1) {
      if (out.size() + n > BundleFormat.MAX_BYTES) {
        throw new TooLarge(action + ": it goes on past the cap of " + BundleFormat.cap());
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
