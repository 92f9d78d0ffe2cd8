package dev.flotilla.trust;

import java.util.Locale;

/** Why a bundle, a trust root or an artifact was refused. Each is counted by its {@link #label()}. */
public enum Refusal {
  /** Not JSON, not a Sigstore bundle, truncated. */
  MALFORMED,
  /** No signature at all. */
  UNSIGNED,
  /** Signed by a key the trust root does not list. */
  UNKNOWN_KEY,
  /** Signed by a key of the root, but not one of its bundle signers (a root key, say). */
  WRONG_ROLE,
  BAD_SIGNATURE,
  /** The envelope's payload type is not a Flotilla bundle. */
  PAYLOAD_TYPE,
  /** The signed payload does not match the bundle schema. */
  INVALID_PAYLOAD,
  WRONG_FLEET,
  WRONG_DEVICE,
  IDENTITY_MISMATCH,
  /** A version not greater than the last one accepted: a replay or a rollback. */
  REPLAY,
  /** Past its expiry: a freeze attack, or a reconciler that stopped signing. */
  EXPIRED,
  ROOT_EXPIRED,
  /** A new trust root short of its signature thresholds, skipping a version, or for another fleet. */
  ROOT_ROTATION,
  /** Fewer valid signatures than the role's threshold (an artifact). */
  BELOW_THRESHOLD;

  /** lower_snake_case, for metric labels and status reasons. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** CamelCase, for status condition reasons: BadSignature, RootExpired. */
  public String reason() {
    var out = new StringBuilder();
    for (var word : name().split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }
}
