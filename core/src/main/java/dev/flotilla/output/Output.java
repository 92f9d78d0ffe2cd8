package dev.flotilla.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one way commands write what they print. Every call ends with a flush: picocli's writers flush only on
 * {@code println}, and {@code main} calls {@code System.exit} right after, so text written with {@code print} and
 * not flushed was lost. Values are written as JSON or YAML by Jackson (never by pasting text together), or as text
 * by the command's own lines.
 */
public final class Output {
  private static final ObjectMapper JSON = dates(new ObjectMapper()).enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML = dates(new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)));

  private final PrintWriter writer;

  public Output(PrintWriter writer) {
    this.writer = writer;
  }

  /** The command's standard output. */
  public static Output of(CommandSpec spec) {
    return new Output(spec.commandLine().getOut());
  }

  /** The command's standard error. */
  public static Output errorsOf(CommandSpec spec) {
    return new Output(spec.commandLine().getErr());
  }

  /** One line. */
  public Output line(String text) {
    writer.println(text);
    writer.flush();
    return this;
  }

  /** A line made with {@link String#format}. */
  public Output format(String format, Object... args) {
    writer.printf(format, args);
    writer.flush();
    return this;
  }

  /** Text as it is, such as a whole file; a newline is added when it has none at the end. */
  public Output text(String text) {
    writer.print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
    writer.flush();
    return this;
  }

  /** Several lines written by {@code lines} with a writer of their own, flushed together at the end. */
  public Output lines(Consumer<PrintWriter> lines) {
    lines.accept(writer);
    writer.flush();
    return this;
  }

  /** {@code value} as JSON or YAML; as text, what {@code text} writes. */
  public Output value(OutputFormat.Format format, Object value, Consumer<PrintWriter> text) {
    switch (format) {
      case JSON -> text(serialize(JSON, value));
      case YAML -> text(serialize(YAML, value));
      case TEXT -> lines(text);
    }
    return this;
  }

  private static String serialize(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("write " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static ObjectMapper dates(ObjectMapper mapper) {
    return mapper.registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }
}
