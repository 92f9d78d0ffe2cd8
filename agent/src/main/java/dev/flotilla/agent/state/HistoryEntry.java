package dev.flotilla.agent.state;

import java.time.Instant;

/**
 * One apply, as the agent recorded it.
 *
 * @param changes how many changes the applied plan had
 * @param error the first failure's message, or null when {@code ok}
 */
public record HistoryEntry(long bundleVersion, Instant at, boolean ok, int changes, String error) {
}
