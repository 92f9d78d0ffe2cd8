package dev.flotilla.git;

import java.nio.file.Path;

/**
 * How the reconciler authenticates to the fleet repo's Git server, as a CI system does: over SSH with a deploy key
 * and a pinned {@code known_hosts}, or over HTTPS with a token read from a file (never from the command line or the
 * config file itself). All null: no credentials (a local path, {@code file://}, or a public URL).
 *
 * @param sshKey     the private deploy key (OpenSSH or PEM format, unencrypted) for {@code ssh://} and scp-like URLs
 * @param knownHosts the host keys the server may present; required with {@code sshKey}: a server not in it is refused
 * @param tokenFile  a file holding the HTTPS token or password
 * @param username   the HTTPS user name sent with the token ({@code x-access-token} by default, what GitHub, GitLab
 *                   and Gitea accept for tokens)
 */
public record GitAccess(Path sshKey, Path knownHosts, Path tokenFile, String username) {
  public static final GitAccess NONE = new GitAccess(null, null, null, null);
  public static final String DEFAULT_USERNAME = "x-access-token";
}
