package dev.flotilla.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;

/**
 * The few calls of the OCI Distribution API that Flotilla needs: a manifest by digest (checked against it), a blob
 * (streamed, resumed with a Range request when the connection breaks), and pushing blobs and a manifest. Auth is
 * what the registry asks for in its {@code WWW-Authenticate} challenge: Basic, or a bearer token from the realm it
 * names. Messages name the registry and what was asked, never a credential.
 */
public final class RegistryClient {
  /** Manifests are small; a registry that sends more is not sending a Flotilla manifest. */
  static final int MAX_MANIFEST = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RegistryAccess access;
  private final Duration timeout;
  private volatile String authorization;

  /** Bytes a request sends, opened again when the request must be repeated after an auth challenge. */
  public interface Body {
    InputStream open() throws IOException;
  }

  public RegistryClient(RegistryAccess access, Duration timeout) {
    this.access = access;
    this.timeout = timeout;
  }

  /** The manifest {@code ref} pins, checked against its digest before anything reads it. */
  public Manifest manifest(OciReference ref) throws IOException {
    var what = "fetch manifest " + ref;
    var connection = request("GET", manifestPath(ref.repository(), ref.digest()),
        Map.of("Accept", MediaTypes.MANIFEST), null, 0, what);
    expect(connection, 200, what);
    byte[] bytes;
    try (var in = connection.getInputStream()) {
      bytes = in.readNBytes(MAX_MANIFEST + 1);
    }
    if (bytes.length > MAX_MANIFEST) {
      throw new IOException(what + ": it is over " + MAX_MANIFEST + " bytes; refusing it");
    }
    var actual = Digest.sha256(bytes);
    if (!actual.equals(ref.digest())) {
      throw new IOException(what + ": the registry sent a manifest with digest " + actual + "; refusing it");
    }
    return Manifest.parse(bytes);
  }

  /** The bytes of {@code blob}, resumed where they broke off; the caller checks the digest while reading. */
  public InputStream blob(String repository, Descriptor blob) throws IOException {
    return new ResumingBlob(this, repository, blob);
  }

  /** A GET of the blob from byte {@code from}: 200 (from 0) or 206 (a Range request). */
  HttpURLConnection openBlob(String repository, Digest digest, long from) throws IOException {
    var what = "fetch blob " + digest + " from " + access.registry() + "/" + repository;
    var headers = from == 0 ? Map.<String, String>of() : Map.of("Range", "bytes=" + from + "-");
    var connection = request("GET", "/v2/" + repository + "/blobs/" + digest, headers, null, 0, what);
    expect(connection, from == 0 ? 200 : 206, what + (from == 0 ? "" : " from byte " + from));
    return connection;
  }

  /** Pushes {@code blob} unless the registry has it already (a monolithic upload: POST, then PUT with the digest). */
  public void pushBlob(String repository, Descriptor blob, Body content) throws IOException {
    var what = "push blob " + blob.digest() + " to " + access.registry() + "/" + repository;
    var head = request("HEAD", "/v2/" + repository + "/blobs/" + blob.digest(), Map.of(), null, 0, what);
    if (head.getResponseCode() == 200) {
      return;
    }
    var start = request("POST", "/v2/" + repository + "/blobs/uploads/", Map.of(), null, 0, what);
    expect(start, 202, what);
    var location = start.getHeaderField("Location");
    if (location == null) {
      throw new IOException(what + ": the registry gave no upload location");
    }
    var upload = URI.create(access.baseUrl() + "/").resolve(location).toString();
    var put = upload + (upload.contains("?") ? "&" : "?") + "digest="
        + URLEncoder.encode(blob.digest().toString(), StandardCharsets.UTF_8);
    expect(request("PUT", put, Map.of("Content-Type", "application/octet-stream"), content, blob.size(), what), 201,
        what);
  }

  /**
   * Pushes {@code manifest} by its digest, after the empty config it names, and returns the reference that pins it.
   * Its layers must have been pushed first.
   */
  public OciReference pushManifest(String repository, Manifest manifest) throws IOException {
    pushBlob(repository, Descriptor.EMPTY_CONFIG, () -> new java.io.ByteArrayInputStream(Manifest.EMPTY_JSON));
    var bytes = manifest.bytes();
    var digest = Digest.sha256(bytes);
    var what = "push manifest " + digest + " to " + access.registry() + "/" + repository;
    expect(request("PUT", manifestPath(repository, digest), Map.of("Content-Type", MediaTypes.MANIFEST),
        () -> new java.io.ByteArrayInputStream(bytes), bytes.length, what), 201, what);
    return new OciReference(access.registry(), repository, digest);
  }

  private static String manifestPath(String repository, Digest digest) {
    return "/v2/" + repository + "/manifests/" + digest;
  }

  /** Sends a request; on a 401 it answers the registry's challenge once and sends it again. */
  private HttpURLConnection request(String method, String pathOrUrl, Map<String, String> headers, Body body,
      long length, String what) throws IOException {
    var url = pathOrUrl.startsWith("/") ? access.baseUrl() + pathOrUrl : pathOrUrl;
    var connection = send(method, url, headers, body, length, what);
    if (connection.getResponseCode() != 401) {
      return connection;
    }
    var challenge = Challenge.parse(connection.getHeaderField("WWW-Authenticate"));
    drain(connection);
    authorization = authorize(challenge, what);
    return send(method, url, headers, body, length, what);
  }

  private HttpURLConnection send(String method, String url, Map<String, String> headers, Body body, long length,
      String what) throws IOException {
    try {
      var connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      if (access.tls() != null && connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(access.tls());
      }
      connection.setRequestMethod(method);
      connection.setConnectTimeout(10_000);
      connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      connection.setUseCaches(false);
      headers.forEach(connection::setRequestProperty);
      var auth = authorization;
      if (auth != null) {
        connection.setRequestProperty("Authorization", auth);
      }
      if (body != null) {
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(length);
        try (var in = body.open(); var out = connection.getOutputStream()) {
          in.transferTo(out);
        }
      }
      connection.getResponseCode();
      return connection;
    } catch (IOException e) {
      throw new IOException(what + ": reach " + access.baseUrl() + ": " + dev.flotilla.io.Failures.describe(e), e);
    }
  }

  private String authorize(Challenge challenge, String what) throws IOException {
    if (challenge.basic()) {
      if (access.basic() == null) {
        throw new IOException(what + ": the registry asks for a login and none is configured for "
            + access.registry());
      }
      return access.basic();
    }
    if (!challenge.bearer() || challenge.parameters().get("realm") == null) {
      throw new IOException(what + ": the registry asks for auth it does not describe ('"
          + challenge.scheme() + "')");
    }
    var realm = challenge.parameters().get("realm");
    var query = new StringBuilder();
    for (var key : new String[] {"service", "scope"}) {
      var value = challenge.parameters().get(key);
      if (value != null) {
        query.append(query.isEmpty() ? "?" : "&").append(key).append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    var tokenWhat = what + ": get a token from " + realm;
    var saved = authorization;
    authorization = access.basic();
    HttpURLConnection connection;
    try {
      connection = send("GET", realm + query, Map.of(), null, 0, tokenWhat);
    } finally {
      authorization = saved;
    }
    expect(connection, 200, tokenWhat);
    try (var in = connection.getInputStream()) {
      var answer = JSON.readTree(in.readNBytes(64 * 1024));
      var token = answer.path("token").asText(answer.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw new IOException(tokenWhat + ": the answer holds no token");
      }
      return "Bearer " + token;
    }
  }

  private void expect(HttpURLConnection connection, int status, String what) throws IOException {
    int actual = connection.getResponseCode();
    if (actual == status) {
      return;
    }
    var detail = "";
    var error = connection.getErrorStream();
    if (error != null) {
      try (error) {
        detail = new String(error.readNBytes(300), StandardCharsets.UTF_8).strip();
      }
    }
    throw new IOException(what + ": " + access.registry() + " answered " + actual
        + (actual == 401 || actual == 403 ? " (check the registry login of " + access.registry() + ")" : "")
        + (detail.isEmpty() ? "" : ": " + detail));
  }

  private static void drain(HttpURLConnection connection) {
    try (var error = connection.getErrorStream()) {
      if (error != null) {
        error.readNBytes(64 * 1024);
      }
    } catch (IOException ignored) {
      // only keeps the connection reusable
    }
  }
}
