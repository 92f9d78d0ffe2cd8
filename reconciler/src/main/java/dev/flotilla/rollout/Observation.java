package dev.flotilla.rollout;

import java.time.Instant;

/**
 * What a device last said about the rollout's app: the version it runs, its health, and when the report arrived.
 * Only reports that arrived after the device was given the new version count.
 */
public record Observation(String version, Health health, Instant receivedAt) {

  /** An app's health as the agent reports it. */
  public enum Health { HEALTHY, PROGRESSING, FAILED }
}
