package dev.flotilla.trust;

import java.util.OptionalLong;

/**
 * A bundle or trust root that is refused, with the reason and a message that says what was expected. A bundle
 * refused after its signature verified (wrong fleet, device or identity, a replay, expired) carries its version.
 */
public final class TrustException extends Exception {
  private final Refusal refusal;
  private final OptionalLong bundleVersion;

  public TrustException(Refusal refusal, String message) {
    this(refusal, message, OptionalLong.empty());
  }

  /** @param bundleVersion the refused bundle's signed version, empty when it is not known (or not signed) */
  public TrustException(Refusal refusal, String message, OptionalLong bundleVersion) {
    super(message);
    this.refusal = refusal;
    this.bundleVersion = bundleVersion;
  }

  public Refusal refusal() {
    return refusal;
  }

  /** The refused bundle's version, when its signature verified before the refusal. */
  public OptionalLong bundleVersion() {
    return bundleVersion;
  }
}
