package dev.flotilla.plan;

/** Deletes a file the agent wrote earlier and no bundle declares any more. */
public record DeleteFile(String path) implements Change {

  @Override
  public String kind() {
    return "file";
  }

  @Override
  public String name() {
    return path;
  }

  @Override
  public String line() {
    return "- file " + path + " (no longer declared)";
  }

  @Override
  public String toString() {
    return line();
  }
}
