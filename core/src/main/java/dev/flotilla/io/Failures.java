package dev.flotilla.io;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * What went wrong, in words, for the one-line errors of the command lines: the JDK's file and network exceptions
 * carry only a path or nothing ({@code NoSuchFileException: /etc/x}, {@code ConnectException} with no message),
 * which printed as they are say neither what failed nor why. Other exceptions give their message. Pure.
 */
public final class Failures {
  private Failures() {}

  /** {@code '/etc/x': no such file or directory}, {@code connection refused}, or the exception's own message. */
  public static String describe(Throwable failure) {
    if (failure instanceof UncheckedIOException unchecked && unchecked.getCause() != null) {
      return describe(unchecked.getCause());
    }
    return switch (failure) {
      case NoSuchFileException e -> file(e, "no such file or directory");
      case FileAlreadyExistsException e -> file(e, "it exists");
      case AccessDeniedException e -> file(e, "permission denied");
      case NotDirectoryException e -> file(e, "not a directory");
      case DirectoryNotEmptyException e -> file(e, "directory not empty");
      case FileSystemException e -> file(e, e.getReason() == null ? "cannot be used" : lower(e.getReason()));
      case UnknownHostException e ->
          "cannot resolve host" + (e.getMessage() == null ? "" : " '" + e.getMessage() + "'");
      case ConnectException e -> e.getMessage() == null ? "connection refused" : lower(e.getMessage());
      case NoRouteToHostException e -> "no route to host";
      case SocketTimeoutException e -> e.getMessage() == null ? "timed out" : lower(e.getMessage());
      default -> failure.getMessage() == null || failure.getMessage().isBlank()
          ? failure.getClass().getSimpleName() : failure.getMessage();
    };
  }

  private static String file(FileSystemException e, String what) {
    var other = e.getOtherFile() == null ? "" : " (to '" + e.getOtherFile() + "')";
    return e.getFile() == null ? what : "'" + e.getFile() + "'" + other + ": " + what;
  }

  /** {@code Operation not permitted} as {@code operation not permitted}, to follow a colon. */
  private static String lower(String reason) {
    return reason.isEmpty() || reason.length() > 1 && Character.isUpperCase(reason.charAt(1))
        ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
  }
}
