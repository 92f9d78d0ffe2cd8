package dev.flotilla.cli.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flotilla.schema.Problem;
import dev.flotilla.validate.FleetValidator.Report;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How {@code flotilla validate} prints a report: for people, for programs, or as GitHub workflow annotations. */
public enum ProblemFormat {
  TEXT {
    @Override
    public void print(Report report, boolean strict, PrintWriter out) {
      report.problems().forEach(out::println);
      out.println(summary(report, strict));
    }
  },
  JSON {
    @Override
    public void print(Report report, boolean strict, PrintWriter out) {
      var document = new LinkedHashMap<String, Object>();
      document.put("valid", report.valid(strict));
      document.put("errors", report.errors());
      document.put("warnings", report.warnings());
      document.put("resources", counts(report));
      document.put("problems", report.problems().stream().map(ProblemFormat::toMap).toList());
      try {
        out.println(MAPPER.writeValueAsString(document));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("write JSON report", e);
      }
    }
  },
  GITHUB {
    @Override
    public void print(Report report, boolean strict, PrintWriter out) {
      for (var problem : report.problems()) {
        var properties = new StringBuilder("file=").append(property(problem.file()));
        if (problem.line() > 0) {
          properties.append(",line=").append(problem.line()).append(",col=").append(problem.column());
        }
        if (!problem.field().isEmpty()) {
          properties.append(",title=").append(property(problem.field()));
        }
        var message = problem.hint().isEmpty() ? problem.message() : problem.message() + "; " + problem.hint();
        out.println("::" + problem.severity().label() + " " + properties + "::" + data(message));
      }
      out.println(summary(report, strict));
    }
  };

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public abstract void print(Report report, boolean strict, PrintWriter out);

  public static String summary(Report report, boolean strict) {
    var counts = counts(report);
    var resources = String.join(", ", counts.entrySet().stream()
        .filter(e -> e.getValue() > 0).map(e -> plural(e.getValue(), e.getKey())).toList());
    if (report.valid(strict)) {
      var warnings = report.warnings() == 0 ? "" : " with " + plural(report.warnings(), "warning");
      return "fleet is valid" + warnings + ": " + resources;
    }
    return "fleet is invalid: " + plural(report.errors(), "error") + ", " + plural(report.warnings(), "warning")
        + (strict && report.errors() == 0 ? " (--strict fails on warnings)" : "")
        + "; checked " + resources;
  }

  private static Map<String, Integer> counts(Report report) {
    var snapshot = report.snapshot();
    var counts = new LinkedHashMap<String, Integer>();
    counts.put("tenant", snapshot.tenants().size());
    counts.put("device", snapshot.devices().size());
    counts.put("policy", snapshot.policies().size());
    counts.put("rollout", snapshot.rollouts().size());
    counts.put("artifact", snapshot.artifacts().size());
    counts.put("claim token", snapshot.claimTokens().size());
    return counts;
  }

  private static Map<String, Object> toMap(Problem problem) {
    var map = new LinkedHashMap<String, Object>();
    map.put("file", problem.file());
    map.put("line", problem.line());
    map.put("column", problem.column());
    map.put("severity", problem.severity().label());
    map.put("field", problem.field());
    map.put("message", problem.message());
    map.put("hint", problem.hint());
    return map;
  }

  private static String plural(long count, String word) {
    if (count == 1) {
      return count + " " + word;
    }
    return count + " " + (word.endsWith("y") ? word.substring(0, word.length() - 1) + "ies" : word + "s");
  }

  /** Escapes a workflow command's message, as the GitHub Actions toolkit does. */
  public static String data(String value) {
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** Escapes a workflow command's property value, as the GitHub Actions toolkit does. */
  public static String property(String value) {
    return data(value).replace(":", "%3A").replace(",", "%2C");
  }

  public static List<String> names() {
    return List.of("text", "json", "github");
  }
}
