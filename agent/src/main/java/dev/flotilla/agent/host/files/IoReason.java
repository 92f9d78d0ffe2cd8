package dev.flotilla.agent.host.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/** The cause part of an error message ({@code <action> <object>: <cause>}), from an I/O exception. */
public final class IoReason {
  private IoReason() {
  }

  /** A short lowercase cause, such as {@code permission denied}, without the host path the JDK puts first. */
  public static String of(IOException e) {
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return lower(fs.getReason());
    }
    return switch (e) {
      case AccessDeniedException ignored -> "permission denied";
      case NoSuchFileException ignored -> "no such file or directory";
      case FileAlreadyExistsException ignored -> "file exists";
      case NotDirectoryException ignored -> "not a directory";
      case DirectoryNotEmptyException ignored -> "directory not empty";
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : lower(e.getMessage());
    };
  }

  /** Whether the operation failed because the process lacks a privilege (EPERM or EACCES). */
  public static boolean notPermitted(IOException e) {
    var reason = of(e);
    return reason.contains("not permitted") || reason.contains("permission denied");
  }

  private static String lower(String text) {
    return text.isEmpty() ? text : text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
  }
}
