package dev.flotilla.io;

import java.io.IOException;
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
 * What went wrong, in words, for one-line errors: the JDK's file and network exceptions carry only a path or
 * nothing ({@code NoSuchFileException: /etc/x}, {@code ConnectException} with no message), which printed as they
 * are say neither what failed nor why. Other exceptions give their message. Pure.
 */
public final class Failures {
  private Failures() {}

  /** {@code '/etc/x': no such file or directory}, {@code connection refused}, or the exception's own message. */
  public static String describe(Throwable failure) {
    if (failure instanceof UncheckedIOException unchecked && unchecked.getCause() != null) {
      return describe(unchecked.getCause());
    }
    return switch (failure) {
      case FileSystemException e -> e.getFile() == null ? reason(e)
          : "'" + e.getFile() + "'" + (e.getOtherFile() == null ? "" : " (to '" + e.getOtherFile() + "')") + ": "
              + reason(e);
      case UnknownHostException e -> reason(e);
      case ConnectException e -> reason(e);
      case NoRouteToHostException e -> reason(e);
      case SocketTimeoutException e -> reason(e);
      default -> failure.getMessage() == null || failure.getMessage().isBlank()
          ? failure.getClass().getSimpleName() : failure.getMessage();
    };
  }

  /**
   * The cause alone, to follow {@code <action> <object>: }, without the host path the JDK puts first: {@code
   * permission denied}, {@code not a directory}, {@code connection refused}.
   */
  public static String reason(IOException e) {
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return lower(fs.getReason());
    }
    var message = e.getMessage();
    return switch (e) {
      case AccessDeniedException ignored -> "permission denied";
      case NoSuchFileException ignored -> "no such file or directory";
      case FileAlreadyExistsException ignored -> "it exists";
      case NotDirectoryException ignored -> "not a directory";
      case DirectoryNotEmptyException ignored -> "directory not empty";
      case FileSystemException ignored -> "cannot be used";
      case UnknownHostException ignored -> "cannot resolve host" + (message == null ? "" : " '" + message + "'");
      case ConnectException ignored -> message == null ? "connection refused" : lower(message);
      case NoRouteToHostException ignored -> "no route to host";
      case SocketTimeoutException ignored -> message == null ? "timed out" : lower(message);
      default -> message == null || message.isBlank() ? e.getClass().getSimpleName() : lower(message);
    };
  }

  /** Whether the operation failed because the process lacks a privilege (EPERM or EACCES). */
  public static boolean notPermitted(IOException e) {
    var reason = reason(e);
    return reason.contains("not permitted") || reason.contains("permission denied");
  }

  /** {@code Operation not permitted} as {@code operation not permitted}, to follow a colon; {@code URI …} kept. */
  private static String lower(String reason) {
    return reason.isEmpty() || reason.length() > 1 && Character.isUpperCase(reason.charAt(1))
        ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
  }
}
