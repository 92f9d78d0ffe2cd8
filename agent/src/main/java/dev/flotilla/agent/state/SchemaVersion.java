package dev.flotilla.agent.state;

/**
 * The schema a state database records in its {@code schema_version} row: its {@code version}, and the oldest
 * schema version whose agents can still read and write it ({@code compatibleFrom}). A pure value.
 *
 * @param version 0 when the database has no schema yet
 * @param compatibleFrom 0 when the database predates the column (schema 1, or 2 before rollbacks were planned
 *     for); such a database is usable from its own version only, see {@link #usableFrom()}
 */
record SchemaVersion(long version, long compatibleFrom) {
  /** The schema this agent writes, usable from {@value AgentState#COMPATIBLE_FROM}. */
  static final SchemaVersion CURRENT = new SchemaVersion(AgentState.SCHEMA_VERSION, AgentState.COMPATIBLE_FROM);

  /** The oldest schema version that can use this database. */
  long usableFrom() {
    return compatibleFrom == 0 ? version : compatibleFrom;
  }

  /** Whether it comes from a newer agent (so this one must neither migrate nor rewrite it). */
  boolean newer() {
    return version > CURRENT.version();
  }

  /** Whether this agent may read and write it. */
  boolean usable() {
    return usableFrom() <= CURRENT.version();
  }

  /** What a newer agent's database means for this agent, said in one line (cause and fix when it is not usable). */
  String describe() {
    var newer = "schema version " + version + " from a newer agent";
    if (usable()) {
      return newer + "; this agent (schema " + CURRENT.version() + ") can use it";
    }
    return newer + " needs an agent of schema " + usableFrom() + " or newer, this one has schema "
        + CURRENT.version() + "; run the newer flotilla-agent again, or move the database aside to start afresh: "
        + "the agent then forgets the last accepted bundle version (replay protection) and what it wrote, which it "
        + "then never prunes";
  }
}
