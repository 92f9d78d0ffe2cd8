package dev.flotilla.agent.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The JDK's default TLS socket factory (the system's CAs), loaded only when a socket is first made or its cipher
 * suites are asked for. Installed as {@link HttpsURLConnection}'s default, so the field initializer every new
 * {@code HttpsURLConnection} runs no longer calls {@code SSLContext.getDefault()}, which parses all the system's
 * CA certificates (~146 on Debian, a few MB resident) even when the agent pins its own CA on every connection.
 * Behaviour is unchanged: a connection that is not given a factory still trusts the system's CAs. Only the agent's
 * own process installs it ({@code FlotillaAgent.main}, explicitly, before anything connects); a library user of the
 * agent's classes (the CLI's demo, tests) keeps the JDK's default.
 */
public final class SystemTrustOnDemand extends SSLSocketFactory {
  static final SystemTrustOnDemand INSTANCE = new SystemTrustOnDemand();

  private volatile SSLSocketFactory system;

  /** A factory of its own, for tests (the agent uses {@link #INSTANCE}). */
  SystemTrustOnDemand() {}

  /** Makes {@link #INSTANCE} the default of every later {@code HttpsURLConnection}; call before opening any. */
  public static void install() {
    HttpsURLConnection.setDefaultSSLSocketFactory(INSTANCE);
  }

  /** Whether the system's default factory was loaded (for tests). */
  boolean loaded() {
    return system != null;
  }

  private SSLSocketFactory system() throws IOException {
    var factory = system;
    if (factory == null) {
      try {
        factory = SSLContext.getDefault().getSocketFactory();
      } catch (NoSuchAlgorithmException e) {
        throw new IOException("load the system's TLS trust store: " + e.getMessage(), e);
      }
      system = factory;
    }
    return factory;
  }

  private SSLSocketFactory systemOrFail() {
    try {
      return system();
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return systemOrFail().getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return systemOrFail().getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return system().createSocket();
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
    return system().createSocket(socket, host, port, autoClose);
  }

  @Override
  public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
    return system().createSocket(socket, consumed, autoClose);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return system().createSocket(host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return system().createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return system().createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return system().createSocket(address, port, localAddress, localPort);
  }
}
