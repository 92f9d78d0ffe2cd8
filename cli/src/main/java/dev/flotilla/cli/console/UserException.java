package dev.flotilla.cli.console;

/**
 * An expected failure: printed as one line on stderr (one per problem when there are several), ending the command
 * with its exit code, one of {@link ExitCodes}.
 */
public class UserException extends RuntimeException {
  private final int exitCode;

  public UserException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
