package dev.flotilla.git;

import java.io.IOException;
import java.nio.file.Files;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;

/**
 * HTTP credentials for JGit: the configured user name and the token, read from its file each time the server asks,
 * so a token rotated on disk is used by the next fetch. Never interactive.
 */
final class TokenCredentials extends CredentialsProvider {
  private final GitAccess access;

  TokenCredentials(GitAccess access) {
    this.access = access;
  }

  @Override
  public boolean isInteractive() {
    return false;
  }

  @Override
  public boolean supports(CredentialItem... items) {
    for (var item : items) {
      if (!(item instanceof CredentialItem.Username) && !(item instanceof CredentialItem.Password)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
    var token = token(uri);
    for (var item : items) {
      switch (item) {
        case CredentialItem.Username user ->
            user.setValue(access.username() == null ? GitAccess.DEFAULT_USERNAME : access.username());
        case CredentialItem.Password password -> password.setValue(token.toCharArray());
        default -> throw new UnsupportedCredentialItem(uri, item.getClass().getSimpleName() + ": not supported");
      }
    }
    return true;
  }

  private String token(URIish uri) {
    try {
      var token = Files.readString(access.tokenFile()).strip();
      if (!token.isEmpty()) {
        return token;
      }
      throw new UnsupportedCredentialItem(uri, "read Git token file '" + access.tokenFile() + "': empty");
    } catch (IOException e) {
      throw new UnsupportedCredentialItem(uri, "read Git token file '" + access.tokenFile() + "': "
          + e.getClass().getSimpleName());
    }
  }
}
