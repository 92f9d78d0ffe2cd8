package dev.flotilla.agent.plan;

import dev.flotilla.plan.Change;

/** What applying one {@link Change} did. */
public enum Outcome {
  /** A file was written where none was. */
  CREATED,
  /** A file or sysctl value was changed. */
  UPDATED,
  /** The host already matched; nothing was written. */
  UNCHANGED,
  /** A file was deleted. */
  DELETED,
  /** Not attempted: an earlier change failed, or the apply was a dry run. */
  SKIPPED,
  /** Attempted or refused; see the error. */
  FAILED
}
