package dev.flotilla.log;

import java.io.PrintStream;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends every log event of the process, Flotilla's ({@code System.Logger}, Java logging) and its libraries', to one
 * stream as one line each in a {@link LogFormat}: level, component (the logger's name without {@code flotilla.}),
 * message. Called once by {@code main} of a long-running command; replaces the JDK's default handler, whose two
 * lines per event collectors cannot parse.
 */
public final class Logging {
  private Logging() {}

  /** Makes {@code format} lines on {@code out} the only log output of this JVM, at INFO and above. */
  public static void install(LogFormat format, PrintStream out) {
    var root = Logger.getLogger("");
    for (var handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    root.setLevel(Level.INFO);
    root.addHandler(new LineHandler(format, out));
  }

  /** A sink that logs each line it is given at INFO as {@code component}, such as the agent's messages. */
  public static Consumer<String> sink(String component) {
    var logger = System.getLogger("flotilla." + component);
    return line -> logger.log(System.Logger.Level.INFO, line);
  }

  /** ERROR, WARN, INFO, DEBUG: the names collectors know, for Java's SEVERE, WARNING, INFO, FINE and below. */
  static String level(Level level) {
    int value = level.intValue();
    return value >= Level.SEVERE.intValue() ? "ERROR" : value >= Level.WARNING.intValue() ? "WARN"
        : value >= Level.INFO.intValue() ? "INFO" : "DEBUG";
  }

  static String component(String logger) {
    if (logger == null || logger.isEmpty()) {
      return "flotilla";
    }
    return logger.startsWith("flotilla.") ? logger.substring("flotilla.".length()) : logger;
  }

  private static final class LineHandler extends Handler {
    private final LogFormat format;
    private final PrintStream out;

    LineHandler(LogFormat format, PrintStream out) {
      this.format = format;
      this.out = out;
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      var message = record.getParameters() == null ? record.getMessage()
          : java.text.MessageFormat.format(record.getMessage(), record.getParameters());
      if (record.getThrown() != null) {
        message = message + ": " + record.getThrown();
      }
      var line = format.line(record.getInstant(), level(record.getLevel()), component(record.getLoggerName()), message);
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
