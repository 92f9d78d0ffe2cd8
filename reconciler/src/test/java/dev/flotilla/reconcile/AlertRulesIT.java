package dev.flotilla.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The alert rules shipped in deploy/prometheus pass Prometheus' own checks ({@code promtool check rules}, from the
 * Debian package prometheus) and their unit tests ({@code promtool test rules}), and no alert is left untested:
 * each has a case where it fires and one where it does not.
 */
class AlertRulesIT {
  static final Path DEPLOY = Path.of("..").toAbsolutePath().normalize().resolve("deploy/prometheus");
  static final Path RULES = DEPLOY.resolve("flotilla-rules.yml");
  static final Path TESTS = DEPLOY.resolve("flotilla-rules.test.yml");
  static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    assertThat(promtool("check", "rules", RULES.toString())).startsWith("exit 0: ").contains("SUCCESS");
  }

  @Test
  void everyRuleTestPasses() throws Exception {
    assertThat(promtool("test", "rules", TESTS.toString())).startsWith("exit 0: ").contains("SUCCESS");
  }

  @Test
  void everyAlertHasACaseThatFiresAndOneThatDoesNot() throws IOException {
    var tests = YAML.readTree(TESTS.toFile());
    var fires = new TreeSet<String>();
    var quiet = new TreeSet<String>();
    for (var group : tests.path("tests")) {
      for (var test : group.path("alert_rule_test")) {
        (test.path("exp_alerts").isEmpty() ? quiet : fires).add(test.path("alertname").asText());
      }
    }

    assertThat(tests.path("rule_files").toString()).contains(RULES.getFileName().toString());
    assertThat(fires).as("alerts with a case that fires").isEqualTo(alerts());
    assertThat(quiet).as("alerts with a case that stays quiet").isEqualTo(alerts());
  }

  /** The names of every alerting rule of the rules file. */
  static Set<String> alerts() throws IOException {
    var names = new TreeSet<String>();
    for (var group : YAML.readTree(RULES.toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          names.add(rule.path("alert").asText());
        }
      }
    }
    assertThat(names).as("alerts in " + RULES).hasSizeGreaterThanOrEqualTo(15);
    return names;
  }

  /** Every alert's expression, for the checks that the metrics they read exist. */
  static List<String> expressions() throws IOException {
    var out = new ArrayList<String>();
    for (var group : YAML.readTree(RULES.toFile()).path("groups")) {
      group.path("rules").forEach(rule -> out.add(rule.path("expr").asText()));
    }
    return out;
  }

  static String promtool(String... args) throws IOException, InterruptedException {
    var command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return "exit " + process.waitFor() + ": " + output;
  }
}
