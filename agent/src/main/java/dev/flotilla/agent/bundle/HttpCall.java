package dev.flotilla.agent.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP(S) request over the JDK's {@link HttpURLConnection}, which the agent uses instead of {@code
 * java.net.http.HttpClient}: the same requests cost about 6.4 MB less resident memory (fewer classes, no selector
 * and worker threads; measured in bench/README.md). Redirects are not followed. Connections are kept alive and
 * reused by the JDK once a body is read to the end and closed. In the agent process the system's CA certificates
 * are parsed only when an https request is made without a pinned factory: {@code flotilla-agent}'s main installs
 * {@link SystemTrustOnDemand} first; nothing here changes JVM-wide state.
 *
 * @param connection the open connection; {@link #disconnect()} aborts it from another thread
 */
public record HttpCall(HttpURLConnection connection) {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Sends the request and waits for the status line and headers.
   *
   * @param tls the socket factory for https URLs, or null for the JDK's default (the system's CAs)
   * @param body the request body, or null for none
   * @param timeout how long a read may block, for a long-poll its wait plus a margin
   */
  public static HttpCall send(String method, URI url, Map<String, String> headers, byte[] body, Duration timeout,
      SSLSocketFactory tls) throws IOException {
    return open(method, url, headers, timeout, tls).send(body);
  }

  /** A request ready to {@link #send}; until then nothing is sent, and {@link #disconnect()} already aborts it. */
  public static HttpCall open(String method, URI url, Map<String, String> headers, Duration timeout, SSLSocketFactory tls)
      throws IOException {
    var connection = (HttpURLConnection) url.toURL().openConnection();
    if (tls != null && connection instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(tls);
    }
    connection.setRequestMethod(method);
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
    connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    headers.forEach(connection::setRequestProperty);
    return new HttpCall(connection);
  }

  /** Sends the request with {@code body} (null for none) and waits for the status line and headers. */
  public HttpCall send(byte[] body) throws IOException {
    if (body != null) {
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      try (var out = connection.getOutputStream()) {
        out.write(body);
      }
    }
    connection.getResponseCode();
    return this;
  }

  public int status() throws IOException {
    return connection.getResponseCode();
  }

  /** A response header, or null. */
  public String header(String name) {
    return connection.getHeaderField(name);
  }

  /** The response body, of an error status too; empty when there is none. The caller closes it. */
  public InputStream body() throws IOException {
    var in = status() >= 400 ? connection.getErrorStream() : connection.getInputStream();
    return in == null ? InputStream.nullInputStream() : in;
  }

  /** Reads and closes the body, so the connection goes back to the keep-alive cache. */
  public void discard() throws IOException {
    try (var in = body()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  /** At most {@code max} bytes of the body, which is then closed. */
  public byte[] read(int max) throws IOException {
    try (var in = body()) {
      return in.readNBytes(max);
    }
  }

  public void disconnect() {
    connection.disconnect();
  }
}
