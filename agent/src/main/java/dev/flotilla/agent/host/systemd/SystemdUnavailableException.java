package dev.flotilla.agent.host.systemd;

import java.io.IOException;

/**
 * systemd cannot be reached over D-Bus: no bus at the address, or no systemd on it. Its message is {@code connect to
 * systemd over D-Bus at <address>: <cause>; is systemd running?}.
 */
public final class SystemdUnavailableException extends IOException {
  public SystemdUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
