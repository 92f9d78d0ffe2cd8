package dev.flotilla.agent.host.files;

import java.io.IOException;

/**
 * A device path the agent refuses to write or delete: not absolute, not normalised, outside the allowed paths, or
 * through a symlink. Thrown before anything is written.
 */
public final class HostPathException extends IOException {
  private static final long serialVersionUID = 1L;

  public HostPathException(String message) {
    super(message);
  }
}
