package dev.flotilla.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.BundleArtifact;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.DriftMode;
import dev.flotilla.model.MaintenanceWindow;
import dev.flotilla.window.MaintenanceWindows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case under {@code src/test/resources/plans} (see the README there). With
 * {@code -Dflotilla.golden.update=true} it rewrites each {@code plan.txt} with what the planner now plans.
 */
class PlannerGoldenTest {
  private static final Path CASES = Path.of("src/test/resources/plans");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  record DesiredDocument(DesiredState state, Map<String, DriftMode> driftModes, List<BundleArtifact> artifacts,
      List<MaintenanceWindow> maintenanceWindows, Set<String> urgent, String now) {
    Schedule schedule() {
      return now == null ? Schedule.ALWAYS
          : new Schedule(new MaintenanceWindows(maintenanceWindows), Instant.parse(now), urgent);
    }
  }

  record ObservedDocument(Map<String, FileDocument> files, Map<String, String> sysctl,
      Map<String, UnitDocument> units, Map<String, AppDocument> apps, boolean noSystemdBus) {
  }

  record UnitDocument(String active, String enabled) {
  }

  record AppDocument(String current, List<String> installed, Map<String, String> failed, String currentDir,
      String shippedUnit, Map<String, String> failedUnits) {
  }

  record FileDocument(String content, String sha256, String mode, String owner, String group, boolean symlink) {
  }

  record InventoryDocument(List<String> files, List<String> sysctl, List<String> unitFiles,
      Map<String, Inventory.App> apps) {
  }

  static Stream<String> cases() throws IOException {
    try (var dirs = Files.list(CASES)) {
      return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plansWhatTheGoldenFileSays(String name) throws IOException {
    var dir = CASES.resolve(name);
    var plan = plan(dir, false);
    var golden = dir.resolve("plan.txt");
    if (Boolean.getBoolean("flotilla.golden.update")) {
      Files.writeString(golden, plan.toString());
    }
    assertThat(plan.toString()).isEqualTo(Files.readString(golden));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plansTheSameWhateverTheDeclarationOrder(String name) throws IOException {
    var dir = CASES.resolve(name);

    assertThat(plan(dir, true)).isEqualTo(plan(dir, false));
  }

  @Test
  void coversEveryRequiredBehaviour() throws IOException {
    assertThat(cases().toList()).contains("creates-file", "updates-content", "changes-mode", "unchanged-is-empty",
        "deletes-file-no-longer-declared", "keeps-file-it-did-not-write", "sets-sysctl",
        "sysctl-unchanged-after-whitespace-normalisation", "ignore-mode-leaves-existing-resources",
        "report-mode-marks-changes", "orders-mixed-changes", "changes-owner", "starts-and-enables-declared-unit",
        "stops-and-disables-unit-declared-stopped", "restarts-unit-whose-unit-file-changed",
        "reports-unit-stopped-from-outside", "installs-and-switches-new-app-version",
        "does-not-retry-app-version-that-failed-health", "starts-stopped-app-unit",
        "plans-no-units-or-apps-without-systemd-bus", "removes-unit-file-no-longer-declared",
        "rewrites-unit-of-app-whose-command-or-environment-changed",
        "removes-app-no-longer-declared", "reports-app-no-longer-declared-in-report-mode",
        "renames-app-unit-at-same-version", "renames-app-unit-with-new-version", "rewrites-missing-sysctl-file",
        "rewrites-sysctl-file-that-differs", "deletes-sysctl-file-when-no-sysctl-declared",
        "holds-unit-restart-outside-window", "applies-unit-restart-inside-window", "urgent-key-is-not-held",
        "holds-app-switch-that-cannot-finish-before-window-closes", "enforce-always-is-not-held",
        "holds-sysctl-that-needs-restart");
  }

  private static Plan plan(Path dir, boolean reversed) throws IOException {
    var desired = YAML.readValue(dir.resolve("desired.yaml").toFile(), DesiredDocument.class);
    var state = desired.state();
    if (reversed && state.getFiles() != null) {
      var files = new ArrayList<>(state.getFiles());
      Collections.reverse(files);
      state.setFiles(files);
    }
    return Planner.plan(state, desired.driftModes(), desired.artifacts(), observed(dir), inventory(dir),
        desired.schedule());
  }

  private static ObservedState observed(Path dir) throws IOException {
    var document = YAML.readValue(dir.resolve("observed.yaml").toFile(), ObservedDocument.class);
    var files = new TreeMap<String, ObservedFile>();
    if (document.files() != null) {
      document.files().forEach((path, f) -> files.put(path, f.symlink() ? ObservedFile.symlinked(path)
          : new ObservedFile(path, true, f.content() == null ? f.sha256()
              : Digest.sha256(f.content().getBytes(StandardCharsets.UTF_8)).toString(), f.mode(), f.owner(),
              f.group(), false)));
    }
    var units = new TreeMap<String, ObservedUnit>();
    if (document.units() != null) {
      document.units().forEach((name, u) -> units.put(name, new ObservedUnit(name, "loaded",
          u.active() == null ? "inactive" : u.active(), "", u.enabled() == null ? "disabled" : u.enabled(), "", 0, 0,
          0)));
    }
    var apps = new TreeMap<String, ObservedApp>();
    if (document.apps() != null) {
      document.apps().forEach((name, a) -> apps.put(name, new ObservedApp(name, a.current(),
          a.installed() == null ? List.of() : a.installed(), a.failed() == null ? Map.of() : a.failed(),
          a.currentDir(), a.shippedUnit(), a.failedUnits() == null ? Map.of() : a.failedUnits())));
    }
    return new ObservedState(files, document.sysctl(), units, apps, !document.noSystemdBus());
  }

  private static Inventory inventory(Path dir) throws IOException {
    var document = YAML.readValue(dir.resolve("inventory.yaml").toFile(), InventoryDocument.class);
    return new Inventory(document.files() == null ? null : Set.copyOf(document.files()),
        document.sysctl() == null ? null : Set.copyOf(document.sysctl()),
        document.unitFiles() == null ? null : Set.copyOf(document.unitFiles()), document.apps());
  }
}
