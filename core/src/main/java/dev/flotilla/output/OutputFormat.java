package dev.flotilla.output;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code -o/--output text|json|yaml} option of every command that reads; a picocli mixin. */
public final class OutputFormat {
  /** What {@link Output#value} writes. */
  public enum Format { TEXT, JSON, YAML }

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
      completionCandidates = Names.class, description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  String output;

  /** The format asked for; an unknown one is a usage error (exit 2) naming the formats there are. */
  public Format format() {
    try {
      return Format.valueOf(output.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(mixee.commandLine(), "unknown --output '" + output
          + "'; use text, json or yaml");
    }
  }

  /** The values offered by shell completion and listed in --help. */
  static final class Names extends java.util.ArrayList<String> {
    Names() {
      super(java.util.List.of("text", "json", "yaml"));
    }
  }
}
