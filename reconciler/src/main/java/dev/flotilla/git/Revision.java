package dev.flotilla.git;

import java.time.Instant;

/** One commit of the fleet repo: its id (40 hex digits), when it was committed, and its first message line. */
public record Revision(String commit, Instant time, String subject) {

  public String shortId() {
    return commit.substring(0, 12);
  }
}
