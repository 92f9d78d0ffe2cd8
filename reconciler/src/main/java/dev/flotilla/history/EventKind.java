package dev.flotilla.history;

/** The kinds of history event; {@link #wireName()} is how a kind is written on the status branch and queried. */
public enum EventKind {
  RECEIPT("receipt"),
  OFFLINE("offline"),
  ONLINE("online"),
  ROLLOUT("rollout"),
  CLAIM("claim"),
  APPROVAL("approval"),
  COMMIT_ACCEPTED("commit-accepted"),
  COMMIT_REFUSED("commit-refused"),
  /** A webhook delivery that failed every attempt (the dead letter). */
  NOTIFICATION_FAILED("notification-failed");

  private final String wireName;

  EventKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The kind written as {@code name}, or null when there is none. */
  public static EventKind fromWireName(String name) {
    for (var kind : values()) {
      if (kind.wireName.equals(name)) {
        return kind;
      }
    }
    return null;
  }
}
