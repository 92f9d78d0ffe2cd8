package dev.flotilla.agent.state;

import java.time.Instant;

/**
 * One apply, as the agent recorded it.
 *
 * @param changes how many changes the applied plan had
 * @param error the first failure's message, or null when {@code ok}
 */
public record HistoryEntry(long bundleVersion, Instant at, boolean ok, int changes, String error) {

  /** One line for people: {@code 2026-12-02T05:10:11Z  version 7  failed (4 changes): <error>}. */
  public String line() {
    var count = changes + (changes == 1 ? " change" : " changes");
    return at + "  version " + bundleVersion + "  " + (ok ? "ok (" + count + ")" : "failed (" + count + "): " + error);
  }
}
