package dev.flotilla.agent.status;

import dev.flotilla.trust.Refusal;
import java.util.Locale;

/**
 * How one agent pass ended. Every decision about a pass (is the host ready, was a bundle refused, is the pass worth a
 * log line) is made on this value; the CamelCase {@link #reason} is its form in status reports and log lines only.
 */
public enum PassOutcome {
  /** The server has no bundle for this device yet. */
  NO_BUNDLE,
  /** A new bundle was applied. */
  APPLIED,
  /** The host already matched the bundle. */
  UP_TO_DATE,
  /** The bundle was unchanged and the host had drifted from it; the drift was corrected. */
  DRIFT_CORRECTED,
  /** At start, an apply that a crash (or power cut) interrupted was finished, and its leftovers removed. */
  RECOVERED,
  /** The host differs in resources whose drift mode is {@code report}: listed, not corrected. */
  DRIFTED,
  /** A change failed; the bundle stays current and the next pass applies it again. */
  APPLY_FAILED,
  /** Files and sysctl were applied, but systemd could not be reached for the bundle's units and apps. */
  SYSTEMD_UNAVAILABLE,
  /** An accepted bundle could not be stored (a full disk); the host keeps the last good bundle. */
  STORE_FAILED,
  /** A bundle failed verification ({@link Pass#refusal} says which check); nothing changed. */
  REFUSED_BUNDLE,
  /** The host refuses a verified bundle's plan as a whole (a path, the disk space); nothing changed. */
  REFUSED_PLAN,
  /**
   * What may apply now was applied; disruptive changes (or drift corrections) wait for a maintenance window
   * ({@link Pass#held}). The host is where its bundle lets it be now.
   */
  HELD_FOR_WINDOW;

  /** Whether the host is on its bundle after such a pass: the Ready condition's status. */
  public boolean ready() {
    return switch (this) {
      case APPLIED, UP_TO_DATE, DRIFT_CORRECTED, RECOVERED, DRIFTED, HELD_FOR_WINDOW -> true;
      case NO_BUNDLE, APPLY_FAILED, SYSTEMD_UNAVAILABLE, STORE_FAILED, REFUSED_BUNDLE, REFUSED_PLAN -> false;
    };
  }

  /** Whether a bundle was refused: the host stays on the bundle it had. */
  public boolean refused() {
    return this == REFUSED_BUNDLE || this == REFUSED_PLAN;
  }

  /** Whether the host matched its bundle when the pass ended, having written to it or not. */
  public boolean converged() {
    return this == APPLIED || this == UP_TO_DATE || this == DRIFT_CORRECTED || this == RECOVERED;
  }

  /** {@link #reason(Refusal)} of an outcome that refuses no bundle: {@code DriftCorrected}. */
  public String reason() {
    if (this == REFUSED_BUNDLE) {
      throw new IllegalStateException("the reason of a refused bundle names its refusal; use reason(Refusal)");
    }
    return reason(null);
  }

  /**
   * The CamelCase reason of status reports and log lines: {@code DriftCorrected}; a refused bundle's is {@code
   * Refused} followed by its refusal's, {@code RefusedBadSignature}. The one place a pass outcome becomes text.
   *
   * @param refusal why a bundle was refused; read only for {@link #REFUSED_BUNDLE}
   */
  public String reason(Refusal refusal) {
    if (this == REFUSED_BUNDLE) {
      return "Refused" + refusal.reason();
    }
    var out = new StringBuilder();
    for (var word : name().split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }
}
