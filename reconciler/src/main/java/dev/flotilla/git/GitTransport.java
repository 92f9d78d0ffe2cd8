package dev.flotilla.git;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.internal.transport.sshd.OpenSshServerKeyDatabase;

/**
 * Opens Git transports with the reconciler's credentials ({@link GitAccess}): for SSH, JGit's Apache MINA client
 * with only the deploy key, only the pinned {@code known_hosts} (a host key not in it is refused, never learned),
 * no ssh-agent and no {@code ~/.ssh}; for HTTP(S), the token read from its file at each connection, so a rotated
 * token is used without a restart. {@link #redact} keeps credentials out of every message made from a URL or a
 * transport error. One instance per reconciler; thread-safe.
 */
public final class GitTransport implements AutoCloseable {
  private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]*@");
  private final GitAccess access;
  private final SshdSessionFactory ssh;

  public GitTransport(GitAccess access) {
    this.access = access;
    this.ssh = access.sshKey() == null ? null : sshFactory(access);
  }

  /** The transport to {@code url} for {@code repository}, with credentials set. The caller closes it. */
  public Transport open(Repository repository, String url) throws IOException {
    try {
      return configure(Transport.open(repository, url));
    } catch (URISyntaxException e) {
      throw new IOException("open Git URL '" + redact(url) + "': " + redact(e.getMessage()), e);
    }
  }

  /** Sets the SSH client and the HTTP credentials on {@code transport}; returns it. */
  public Transport configure(Transport transport) {
    if (ssh != null && transport instanceof SshTransport sshTransport) {
      sshTransport.setSshSessionFactory(ssh);
    }
    if (access.tokenFile() != null) {
      transport.setCredentialsProvider(new TokenCredentials(access));
    }
    return transport;
  }

  /**
   * {@code text} without the user information of any URL in it ({@code https://user:secret@host} becomes {@code
   * https://***@host}) and without the configured token, wherever it appears.
   */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    var result = USER_INFO.matcher(text).replaceAll("$1***@");
    var token = tokenOrNull();
    return token == null || token.length() < 4 ? result : result.replace(token, "***");
  }

  private String tokenOrNull() {
    try {
      return access.tokenFile() == null ? null : Files.readString(access.tokenFile()).strip();
    } catch (IOException e) {
      return null;
    }
  }

  private static SshdSessionFactory sshFactory(GitAccess access) {
    var none = access.sshKey().toAbsolutePath().resolveSibling(".flotilla-no-ssh-dir");
    return new SshdSessionFactoryBuilder()
        .setHomeDirectory(none.toFile())
        .setSshDirectory(none.toFile())
        .setConfigFile(f -> none.resolve("config").toFile())
        .setDefaultIdentities(f -> List.of(access.sshKey()))
        .setDefaultKnownHostsFiles(f -> List.of(access.knownHosts()))
        .setServerKeyDatabase((home, sshDir) -> pinned(access.knownHosts()))
        .setConnectorFactory(null)
        .build(new JGitKeyCache());
  }

  /** Accepts exactly the host keys {@code knownHosts} lists for the host; asks no one, learns nothing. */
  private static ServerKeyDatabase pinned(Path knownHosts) {
    var known = new OpenSshServerKeyDatabase(false, List.of(knownHosts));
    return new ServerKeyDatabase() {
      @Override
      public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        return known.lookup(connectAddress, remoteAddress, config);
      }

      @Override
      public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
          Configuration config, CredentialsProvider provider) {
        return lookup(connectAddress, remoteAddress, config).stream().anyMatch(k -> KeyUtils.compareKeys(k, serverKey));
      }
    };
  }

  @Override
  public void close() {
    if (ssh != null) {
      ssh.close();
    }
  }
}
