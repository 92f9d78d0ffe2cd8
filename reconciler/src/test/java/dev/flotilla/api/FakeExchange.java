package dev.flotilla.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An exchange in memory: a request from {@code peer}, a body that counts the bytes anyone read from it, and the
 * response captured. {@link #failing} makes every look at the request method throw, as a bug in a handler would.
 */
final class FakeExchange extends HttpExchange {
  private final String method;
  private final URI uri;
  private final Headers requestHeaders = new Headers();
  private final Headers responseHeaders = new Headers();
  private final InetSocketAddress peer;
  private final CountingBody body;
  private final ByteArrayOutputStream response = new ByteArrayOutputStream();
  private boolean failing;
  private int code = -1;

  FakeExchange(String method, String path, String peer, byte[] body) {
    this.method = method;
    this.uri = URI.create(path);
    this.peer = new InetSocketAddress(peer, 40000);
    this.body = new CountingBody(body);
  }

  FakeExchange(String method, String path) {
    this(method, path, "127.0.0.1", new byte[0]);
  }

  FakeExchange header(String name, String value) {
    requestHeaders.add(name, value);
    return this;
  }

  FakeExchange headers(Map<String, String> headers) {
    headers.forEach(requestHeaders::add);
    return this;
  }

  FakeExchange failing() {
    failing = true;
    return this;
  }

  /** How many body bytes the server read. */
  long bodyRead() {
    return body.consumed();
  }

  String responseText() {
    return response.toString(StandardCharsets.UTF_8);
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    if (failing) {
      throw new IllegalStateException("kaboom in dev.flotilla.Secret#42");
    }
    return method;
  }

  @Override
  public HttpContext getHttpContext() {
    return null;
  }

  @Override
  public void close() {}

  @Override
  public InputStream getRequestBody() {
    return body;
  }

  @Override
  public OutputStream getResponseBody() {
    return response;
  }

  @Override
  public void sendResponseHeaders(int rCode, long responseLength) {
    if (code != -1) {
      throw new IllegalStateException("headers sent twice");
    }
    code = rCode;
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return peer;
  }

  @Override
  public int getResponseCode() {
    return code;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return new InetSocketAddress("127.0.0.1", 8443);
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }

  @Override
  public Object getAttribute(String name) {
    return null;
  }

  @Override
  public void setAttribute(String name, Object value) {}

  @Override
  public void setStreams(InputStream i, OutputStream o) {}

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }

  /** Counts by position, whichever read method the server calls. */
  private static final class CountingBody extends ByteArrayInputStream {
    CountingBody(byte[] bytes) {
      super(bytes);
    }

    synchronized long consumed() {
      return pos;
    }
  }
}
