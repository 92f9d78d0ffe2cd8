package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.rig.NspawnContainer;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.RolloutPhase;
import dev.flotilla.rollout.RolloutRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's end-to-end rollout: ten real agents, each managing a real systemd in its own systemd-nspawn container,
 * against the real reconciler over TLS on loopback. The app is a shell script served by the reconciler's artifact
 * store; version 2.0 exits 1 when {@code /etc/flotilla-test/fail} exists in its container, so its unit restarts and
 * the agent's health check fails there. Waves of 1/3/6 with maxFailureRatio 0.3: four failing devices in the last
 * wave roll the rollout back, every updated device runs 1.0 again and the decision is on the status branch; then a
 * healthy rollout of 3.0 succeeds.
 */
class RolloutNspawnIT {
  static final String APP = "ticker";
  static final String UNIT = "flotilla-app-ticker.service";
  static final String MARKER = "etc/flotilla-test/fail";
  @TempDir
  Path work;
  NspawnContainer.Group containers;
  LiveFleet fleet;
  final Map<String, NspawnContainer> byDevice = new HashMap<>();

  static String script(String version) {
    return "#!/bin/sh\n# ticker " + version + "\n"
        + (version.equals("1.0") ? "" : "[ -e /" + MARKER + " ] && { echo failing on purpose; exit 1; }\n")
        + "echo " + version + " > /run/ticker.version\nexec sleep infinity\n";
  }

  @BeforeEach
  void start() throws Exception {
    var template = work.resolve("template");
    copy(Run.HOME.resolve("fleet-repo-template"), template);
    var acme = template.resolve("tenants/acme-retail");
    Files.delete(acme.resolve("policies/base-hardening.yaml")); // its chrony.service is not in the test rootfs
    Files.delete(acme.resolve("policies/store-berlin-01.yaml"));
    Files.delete(acme.resolve("rollouts/kiosk-ui-1-5.yaml"));
    Files.writeString(acme.resolve("policies/kiosk.yaml"), policy("""
        files:
          - path: /etc/ticker.conf
            content: "ticks=1\\n"
            mode: "0644"
    """));
    var cordoned = acme.resolve("devices/kiosk-munich-01-b.yaml"); // the template cordons one; waves skip it
    Files.writeString(cordoned, Files.readString(cordoned).replace("  cordoned: true\n", ""));
    List<String> kiosks;
    try (var names = Files.list(acme.resolve("devices"))) {
      kiosks = names.map(p -> p.getFileName().toString().replace(".yaml", "")).filter(n -> n.startsWith("kiosk-"))
          .sorted().toList();
    }
    assertThat(kiosks).hasSize(10);

    containers = NspawnContainer.boot("rollout", 10);
    fleet = new LiveFleet(template, work.resolve("live"));
    for (int i = 0; i < kiosks.size(); i++) {
      var container = containers.get(i);
      var machineId = HexFormat.of().formatHex(randomBytes());
      Files.writeString(container.hostRoot().resolve("etc/machine-id"), machineId + "\n"); // one rootfs, ten ids
      fleet.enrol(kiosks.get(i), container.hostRoot());
      byDevice.put(kiosks.get(i), container);
    }
    fleet.commit("Enrol ten kiosks in containers");
    fleet.startReconciler(Duration.ofMinutes(5));

    for (var version : List.of("1.0", "2.0", "3.0")) {
      addArtifact(version);
    }
    Files.writeString(fleet.repo.resolve("tenants/acme-retail/policies/kiosk.yaml"), policy("""
        apps:
          - name: ticker
            artifact: ticker
            version: "1.0"
            command: ["ticker"]
            healthCheck:
              minReadySeconds: 1
              timeout: 20s
    """));
    var commit = fleet.commit("Run ticker 1.0 on every kiosk");
    fleet.server.wakeUp();
    assertThat(fleet.awaitServing(commit, Duration.ofSeconds(60))).as(() -> fleet.server.reconciler().status()
        .message() + "; rollouts " + fleet.server.reconciler().rollouts() + "; branches " + branches()).isTrue();
    fleet.startAgents(Duration.ofSeconds(2), (device, line) -> System.out.println(device + ": " + line),
        (device, config) -> config.setDbusAddress(byDevice.get(device).busAddress()));
    await(() -> byDevice.keySet().stream().allMatch(d -> runs(d, "1.0")));
    assertThat(byDevice.keySet()).allMatch(d -> runs(d, "1.0"));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (fleet != null) {
        fleet.close();
      }
    } finally {
      if (containers != null) {
        containers.close();
      }
    }
  }

  @Test
  void fourFailuresInTheLastWaveRollBackEveryUpdatedDeviceThenAHealthyRolloutSucceeds() throws Exception {
    var started = System.nanoTime();
    commitRollout("ticker-2-0", "2.0", null);
    await(() -> rollout("ticker-2-0") != null);
    var waves = rollout("ticker-2-0").plan().waves();
    assertThat(waves).extracting(w -> w.devices().size()).containsExactly(1, 3, 6);
    var last = waves.getLast().devices();
    for (var device : last.subList(0, 4)) {
      var marker = byDevice.get(device).hostRoot().resolve(MARKER);
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, "fail\n");
    }

    await(() -> rollout("ticker-2-0").state().phase() == RolloutPhase.ROLLED_BACK);
    var state = rollout("ticker-2-0").state();
    assertThat(state.phase()).as(state.decisions().toString()).isEqualTo(RolloutPhase.ROLLED_BACK);
    assertThat(statusMessages()).anySatisfy(m -> assertThat(m)
        .startsWith("rollout acme-retail/ticker-2-0: RollingBack (FailureRatioReached): wave 'rest':")
        .contains("limit 0.30"));
    assertThat(statusMessages().getFirst()).startsWith("rollout acme-retail/ticker-2-0: RolledBack (RollbackComplete)");
    assertThat(state.updated()).as("every device got 2.0").hasSize(10);
    await(() -> state.updated().stream().allMatch(d -> runs(d, "1.0")));
    for (var device : state.updated()) {
      assertThat(current(device)).as(device + "'s current link").isEqualTo("1.0");
      assertThat(active(device)).as(device + "'s unit").isEqualTo("active");
      assertThat(running(device)).as(device + "'s running script").isEqualTo("1.0");
    }
    System.out.println("failed rollout to rolled back: " + (System.nanoTime() - started) / 1_000_000 + " ms");

    started = System.nanoTime();
    for (var device : last.subList(0, 4)) {
      Files.delete(byDevice.get(device).hostRoot().resolve(MARKER));
    }
    commitRollout("ticker-3-0", "3.0", "ticker-2-0");
    await(() -> rollout("ticker-3-0") != null && rollout("ticker-3-0").state().phase() == RolloutPhase.SUCCEEDED);
    assertThat(rollout("ticker-3-0").state().phase()).isEqualTo(RolloutPhase.SUCCEEDED);
    assertThat(statusMessages().getFirst()).startsWith("rollout acme-retail/ticker-3-0: Succeeded (AllWavesHealthy)");
    await(() -> byDevice.keySet().stream().allMatch(d -> runs(d, "3.0")));
    assertThat(byDevice.keySet()).allMatch(d -> runs(d, "3.0"));
    System.out.println("healthy rollout to succeeded: " + (System.nanoTime() - started) / 1_000_000 + " ms");
  }

  String policy(String state) {
    return """
        apiVersion: flotilla.dev/v1
        kind: Policy
        metadata:
          name: kiosk
          tenant: acme-retail
        spec:
          selector:
            matchLabels:
              role: kiosk
          priority: 20
          state:
        """ + state.indent(4);
  }

  void addArtifact(String version) throws Exception {
    var file = work.resolve("ticker-" + version);
    Files.writeString(file, script(version));
    var url = "https://127.0.0.1:" + fleet.server.address().getPort() + "/v1/artifacts/" + Digest.sha256(file).hex();
    var added = Run.flotilla("artifact", "add", file.toString(), "--name", APP, "--version", version, "--type",
        "binary", "--url", url, "--store", fleet.artifactStore().toString(), "--keys",
        fleet.keys.toString(), "--repo", fleet.repo.toString());
    assertThat(added.exitCode()).as(added.out() + added.err()).isZero();
    assertThat(fleet.repo.resolve("artifacts/ticker/" + version + ".yaml")).exists();
  }

  void commitRollout(String name, String version, String replaces) throws Exception {
    var dir = fleet.repo.resolve("tenants/acme-retail/rollouts");
    if (replaces != null) {
      Files.delete(dir.resolve(replaces + ".yaml"));
    }
    Files.writeString(dir.resolve(name + ".yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Rollout
        metadata:
          name: %s
          tenant: acme-retail
        spec:
          artifact:
            name: ticker
            version: "%s"
          selector:
            matchLabels:
              role: kiosk
          waves:
            - name: canary
              count: 1
              bakeTime: 0s
            - name: early
              count: 3
              bakeTime: 0s
            - name: rest
              bakeTime: 0s
          maxFailureRatio: 0.3
          healthTimeout: 2m
          failOnNoReport: true
          onBreach: rollback
        """.formatted(name, version));
    var commit = fleet.commit("Roll out ticker " + version);
    fleet.server.wakeUp();
    assertThat(fleet.awaitServing(commit, Duration.ofSeconds(60))).as(fleet.server.reconciler().status().message())
        .isTrue();
  }

  String branches() {
    try {
      return fleet.git.branchList().call().stream().map(r -> r.getName() + "=" + r.getObjectId().name()).toList()
          .toString();
    } catch (Exception e) {
      return e.toString();
    }
  }

  RolloutRunner.RolloutView rollout(String name) {
    var result = fleet.server.reconciler().rollouts();
    return result == null ? null
        : result.rollouts().stream().filter(r -> r.plan().rollout().equals(name)).findFirst().orElse(null);
  }

  /** The status branch's commit messages, newest first. */
  List<String> statusMessages() throws Exception {
    var out = new ArrayList<String>();
    fleet.git.log().add(fleet.git.getRepository().resolve("refs/heads/flotilla-status")).call()
        .forEach(c -> out.add(c.getShortMessage()));
    return out;
  }

  /** Whether {@code device}'s container runs {@code version}: current link, active unit, the script's own word. */
  boolean runs(String device, String version) {
    try {
      return version.equals(current(device)) && active(device).equals("active") && version.equals(running(device));
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  String current(String device) throws IOException {
    var link = byDevice.get(device).hostRoot().resolve("var/lib/flotilla/apps/ticker/current");
    return Files.isSymbolicLink(link) ? Path.of(Files.readSymbolicLink(link).toString()).getFileName().toString() : "";
  }

  String active(String device) throws IOException, InterruptedException {
    return byDevice.get(device).exec("systemctl", "is-active", UNIT).output().strip();
  }

  String running(String device) throws IOException {
    var file = byDevice.get(device).hostRoot().resolve("run/ticker.version");
    return Files.exists(file) ? Files.readString(file).strip() : "";
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    for (long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos(); !condition.getAsBoolean()
        && System.nanoTime() < deadline; ) {
      Thread.sleep(200);
    }
  }

  private static byte[] randomBytes() {
    var bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (var source : walk.toList()) {
        var relative = from.relativize(source).toString();
        if (relative.startsWith(".flotilla")) {
          continue;
        }
        var target = to.resolve(relative);
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
