package dev.flotilla.secret;

/**
 * A sealed secret that cannot be opened: another device's or key's, changed, relabelled or replayed. The message
 * names the secret and the cause, never a byte of the value.
 */
public final class SealException extends Exception {
  public SealException(String message) {
    super(message);
  }
}
