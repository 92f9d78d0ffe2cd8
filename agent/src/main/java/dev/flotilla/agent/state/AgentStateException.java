package dev.flotilla.agent.state;

import java.io.IOException;

/** The agent's local state could not be read or written; the message names the database and the cause. */
public final class AgentStateException extends IOException {
  private static final long serialVersionUID = 1L;

  public AgentStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
