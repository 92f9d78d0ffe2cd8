package dev.flotilla.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.model.DesiredState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AppliedStateTest {
  private static final Path CASES = Path.of("src/test/resources/plans");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static Stream<String> cases() throws IOException {
    return PlannerGoldenTest.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aDesiredStatePlannedAgainstItselfAppliedChangesNothing(String name) throws IOException {
    var desired = YAML.readValue(CASES.resolve(name).resolve("desired.yaml").toFile(),
        PlannerGoldenTest.DesiredDocument.class);
    var state = desired.state();

    var plan = Planner.plan(state, Map.of(), desired.artifacts(), AppliedState.of(state),
        AppliedState.inventory(state));

    // a file whose declared sha256 does not match its content is planned every time: the applier refuses it
    assertThat(plan.lines()).allMatch(line -> line.startsWith("~ file ") && line.contains("declared sha256"));
  }

  @Test
  void plansHeadAgainstBaseAppliedLikeTheAgentDoes() throws IOException {
    var base = state("""
        files: [{path: /etc/motd, content: "one\\n"}, {path: /etc/old, content: "x"}]
        sysctl: {vm.swappiness: "60"}
        services: [{unit: chrony.service}]
        apps: [{name: pos, artifact: pos, version: 1.1.0, command: [bin/pos]}]
        """);
    var head = state("""
        files: [{path: /etc/motd, content: "two\\n", mode: "0600"}]
        sysctl: {vm.swappiness: "10"}
        services: [{unit: chrony.service, state: stopped}]
        apps: [{name: pos, artifact: pos, version: 1.2.0, command: [bin/pos]}]
        """);

    var plan = Planner.plan(head, Map.of(), AppliedState.of(base), AppliedState.inventory(base));

    assertThat(plan.lines()).containsExactly(
        "~ file /etc/motd (content, mode 0644 -> 0600)",
        "- unit chrony.service (stop)",
        "~ sysctl vm.swappiness 60 -> 10",
        "~ file /etc/sysctl.d/90-flotilla.conf (sysctl values for boot: content)",
        "+ app pos 1.2.0 (install)",
        "~ app pos 1.1.0 -> 1.2.0 (switch)",
        "- file /etc/old (no longer declared)");
  }

  @Test
  void anEmptyDesiredStateLeavesAnEmptyHostThatRunsSystemd() {
    var host = AppliedState.of(null);

    assertThat(host.files()).isEmpty();
    assertThat(host.systemd()).isTrue();
    assertThat(AppliedState.inventory(null).isEmpty()).isTrue();
  }

  private static DesiredState state(String yaml) throws IOException {
    return YAML.readValue(yaml, DesiredState.class);
  }
}
