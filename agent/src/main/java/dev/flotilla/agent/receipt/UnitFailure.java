package dev.flotilla.agent.receipt;

import java.util.List;

/**
 * What systemd says of a unit that failed: its {@code Result}, the main process's exit status and its last journal
 * lines, as a receipt carries them.
 */
public record UnitFailure(String result, int exitStatus, List<String> journal) {

  /** Reads a failed unit's details from the host; I/O, so the receipt maker is given one. */
  @FunctionalInterface
  public interface Lookup {
    /** The details of {@code kind} ({@code unit} or {@code app}) {@code name}; null when there are none to read. */
    UnitFailure of(String kind, String name);
  }
}
