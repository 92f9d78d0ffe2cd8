package dev.flotilla.oci;

import java.io.IOException;
import java.io.InputStream;

/**
 * A blob's bytes that survive a broken connection: when a read fails part-way, the rest is asked for again with a
 * Range request from the byte where it broke off, up to {@value #RESUMES} times. It never reads past the size the
 * manifest gives; the caller checks size and digest of what it read.
 */
final class ResumingBlob extends InputStream {
  static final int RESUMES = 5;
  private final RegistryClient client;
  private final String repository;
  private final Descriptor blob;
  private InputStream in;
  private long position;
  private int resumes;

  ResumingBlob(RegistryClient client, String repository, Descriptor blob) throws IOException {
    this.client = client;
    this.repository = repository;
    this.blob = blob;
    this.in = client.openBlob(repository, blob.digest(), 0).getInputStream();
  }

  @Override
  public int read() throws IOException {
    var one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    while (true) {
      try {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
          position += n;
          return n;
        }
        if (n < 0 && position < blob.size()) {
          throw new IOException("the connection ended at byte " + position + " of " + blob.size());
        }
        return n;
      } catch (IOException e) {
        if (resumes++ == RESUMES || position >= blob.size()) {
          throw new IOException("fetch blob " + blob.digest() + ": broke off at byte " + position + " of "
              + blob.size() + " after " + (resumes - 1) + " resumes: " + e.getMessage(), e);
        }
        closeQuietly();
        in = client.openBlob(repository, blob.digest(), position).getInputStream();
      }
    }
  }

  /** How many times the download was resumed. */
  int resumes() {
    return resumes;
  }

  private void closeQuietly() {
    try {
      in.close();
    } catch (IOException ignored) {
      // the broken connection is being replaced
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
