package dev.flotilla.cli.console;

/** The exit codes of every command: 0 ok, 1 failure, 2 usage, 3 differences found ({@code plan}, {@code verify}). */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int DIFFERENCES = 3;

  private ExitCodes() {}
}
