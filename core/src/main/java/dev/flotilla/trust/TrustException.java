package dev.flotilla.trust;

/** A bundle or trust root that is refused, with the reason and a message that says what was expected. */
public final class TrustException extends Exception {
  private final Refusal refusal;

  public TrustException(Refusal refusal, String message) {
    super(message);
    this.refusal = refusal;
  }

  public Refusal refusal() {
    return refusal;
  }
}
