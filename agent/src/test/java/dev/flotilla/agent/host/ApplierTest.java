package dev.flotilla.agent.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.host.apps.AppInstaller;
import dev.flotilla.agent.host.apps.AppStore;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.host.systemd.RecordingSystemd;
import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.agent.plan.ChangeResult;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.FileSpec;
import dev.flotilla.plan.DeleteFile;
import dev.flotilla.plan.DeleteUnitFile;
import dev.flotilla.plan.Inventory;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.Planner;
import dev.flotilla.plan.RemoveApp;
import dev.flotilla.plan.SetSysctl;
import dev.flotilla.plan.WriteFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The applier against a temp dir as host root and a fake procfs. */
class ApplierTest {
  @TempDir
  Path root;
  @TempDir
  Path proc;
  HostFiles files;
  Sysctl sysctl;
  Host host;
  Applier applier;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(proc.resolve("sys/net/ipv4"));
    Files.writeString(proc.resolve("sys/net/ipv4/ip_forward"), "0\n");
    Files.writeString(proc.resolve("sys/net/ipv4/tcp_syncookies"), "1\n");
    files = new HostFiles(root, List.of("/etc/kiosk", "/etc/motd"));
    sysctl = new Sysctl(proc, root);
    host = new Host(files, sysctl);
    applier = new Applier(files, sysctl);
  }

  @Test
  void appliesPlanAndIsIdempotent() throws IOException {
    var desired = desired(Map.of("/etc/motd", "hi\n", "/etc/kiosk/app.conf", "url=a\n"),
        Map.of("net.ipv4.ip_forward", "1", "net.ipv4.tcp_syncookies", "1"));
    var plan = plan(desired, Inventory.EMPTY);

    var first = applier.apply(plan);
    var again = applier.apply(plan);

    assertThat(outcomes(first)).containsExactly(Outcome.CREATED, Outcome.CREATED, Outcome.UPDATED, Outcome.CREATED);
    assertThat(outcomes(again)).containsOnly(Outcome.UNCHANGED);
    assertThat(plan(desired, Inventory.declaredBy(desired)).isEmpty()).isTrue();
    assertThat(root.resolve("etc/kiosk/app.conf")).hasContent("url=a");
    assertThat(proc.resolve("sys/net/ipv4/ip_forward")).hasContent("1");
  }

  @Test
  void refusesUnitChangesWithoutASystemdBusAndWritesNothing() {
    var plan = new dev.flotilla.plan.Plan(List.of(
        new dev.flotilla.plan.WriteFile("/etc/motd", "hi\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            Digest.sha256("hi\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(), "0644", null,
            null, dev.flotilla.plan.WriteFile.Action.CREATE, "not present"),
        dev.flotilla.plan.StartUnit.start("chrony.service")));

    var applied = applier.apply(plan);

    assertThat(outcomes(applied)).containsExactly(Outcome.SKIPPED, Outcome.FAILED);
    assertThat(applied.error()).hasValue("apply unit:chrony.service: no systemd bus configured; set 'dbusAddress' in"
        + " the agent config");
    assertThat(root.resolve("etc/motd")).doesNotExist();
  }

  @Test
  void persistsEveryDesiredSysctlKeyAfterSysctlChanges() throws IOException {
    var desired = desired(Map.of(), Map.of("net.ipv4.ip_forward", "1", "net.ipv4.tcp_syncookies", "1"));

    applier.apply(plan(desired, Inventory.EMPTY));

    assertThat(root.resolve("etc/sysctl.d/90-flotilla.conf")).hasContent("""
        # managed by flotilla-agent; changes are overwritten
        net.ipv4.ip_forward = 1
        net.ipv4.tcp_syncookies = 1""");
  }

  @Test
  void writesNothingWhenOnePathIsForbidden() throws IOException {
    var plan = new Plan(List.of(write("/etc/kiosk/app.conf", "url=a\n"), write("/opt/evil.sh", "rm -rf /\n"),
        new SetSysctl("net.ipv4.ip_forward", "0", "1")));

    var result = applier.apply(plan);

    assertThat(result.results()).containsExactly(ChangeResult.of(plan.changes().get(0), Outcome.SKIPPED),
        ChangeResult.failed(plan.changes().get(1), "write file '/opt/evil.sh': outside the allowed paths "
            + "(/etc/kiosk, /etc/motd); add its directory to allowedPaths in the agent config"),
        ChangeResult.of(plan.changes().get(2), Outcome.SKIPPED));
    assertThat(root).isEmptyDirectory();
    assertThat(proc.resolve("sys/net/ipv4/ip_forward")).hasContent("0");
  }

  @Test
  void writesNothingWhenContentDoesNotMatchItsDeclaredSha256() {
    var bad = new WriteFile("/etc/motd", "hi\n".getBytes(UTF_8), Digest.sha256("bye\n".getBytes(UTF_8)).toString(),
        "0644", null, null, WriteFile.Action.CREATE, "not present");
    var plan = new Plan(List.of(write("/etc/kiosk/app.conf", "url=a\n"), bad));

    var result = applier.apply(plan);

    assertThat(result.error()).hasValue("write file '/etc/motd': content has "
        + Digest.sha256("hi\n".getBytes(UTF_8)).toString()
        + ", not the declared " + Digest.sha256("bye\n".getBytes(UTF_8)).toString()
        + "; fix the file's sha256 or content in the policy");
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void refusesUnknownSysctlKeyBeforeWritingAnything() {
    var plan = new Plan(List.of(write("/etc/motd", "hi\n"), new SetSysctl("net.ipv4.nope", null, "1")));

    var result = applier.apply(plan);

    assertThat(result.error()).hasValue("set sysctl 'net.ipv4.nope': no such key under " + proc.resolve("sys"));
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void stopsAtFirstFailureAndSkipsTheRest() throws IOException {
    // an unknown owner is found only when the file is written, after the checks up front
    var bytes = "b\n".getBytes(UTF_8);
    var unknownOwner = new WriteFile("/etc/kiosk/b.conf", bytes, Digest.sha256(bytes).toString(), "0644",
        "no-such-user-here", null,
        WriteFile.Action.CREATE, "not present");
    var plan = new Plan(List.of(write("/etc/kiosk/a.conf", "a\n"), unknownOwner,
        write("/etc/kiosk/c.conf", "c\n"), new SetSysctl("net.ipv4.ip_forward", "0", "1")));

    var result = applier.apply(plan);

    assertThat(outcomes(result)).containsExactly(Outcome.CREATED, Outcome.FAILED, Outcome.SKIPPED, Outcome.SKIPPED);
    assertThat(result.error()).hasValue("set owner of '/etc/kiosk/b.conf': no such user 'no-such-user-here'");
    assertThat(root.resolve("etc/kiosk/a.conf")).exists();
    assertThat(root.resolve("etc/kiosk/b.conf")).doesNotExist();
    assertThat(root.resolve("etc/kiosk/c.conf")).doesNotExist();
    assertThat(proc.resolve("sys/net/ipv4/ip_forward")).hasContent("0");
  }

  @Test
  void deletesOwnedFileNoLongerDeclared() throws IOException {
    var before = desired(Map.of("/etc/motd", "hi\n", "/etc/kiosk/old.conf", "old\n"), Map.of());
    applier.apply(plan(before, Inventory.EMPTY));
    var after = desired(Map.of("/etc/motd", "hi\n"), Map.of());

    var plan = plan(after, Inventory.declaredBy(before));
    var result = applier.apply(plan);

    assertThat(plan.changes()).containsExactly(new DeleteFile("/etc/kiosk/old.conf"));
    assertThat(outcomes(result)).containsExactly(Outcome.DELETED);
    assertThat(root.resolve("etc/kiosk/old.conf")).doesNotExist();
    assertThat(root.resolve("etc/motd")).exists();
  }

  @Test
  void removesUnitFilesNoLongerDeclaredStoppingOnlyUndeclaredUnitsAndReloadsOnce() throws IOException {
    var units = new HostFiles(root, List.of("/etc/systemd/system"));
    for (var unit : List.of("gone.service", "vendor.service", "other.service")) {
      units.write("/etc/systemd/system/" + unit, "[Service]\n".getBytes(UTF_8), "0644", null, null);
    }
    var systemd = new RecordingSystemd(true);
    var plan = new Plan(List.of(new DeleteUnitFile("gone.service", false), new DeleteUnitFile("vendor.service", true)));

    var applied = new Applier(units, sysctl, systemd, null).apply(plan);

    assertThat(outcomes(applied)).containsExactly(Outcome.DELETED, Outcome.DELETED);
    assertThat(systemd.calls).containsExactly("stop gone.service", "disable gone.service", "reload");
    assertThat(root.resolve("etc/systemd/system/gone.service")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/vendor.service")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/other.service")).exists();
  }

  @Test
  void removesAppNoLongerDeclaredOnceAndNothingOutsideItsDirectory() throws IOException {
    var apps = root.resolve("var/lib/flotilla/apps");
    Files.createDirectories(apps.resolve("old/0.9"));
    Files.createDirectories(apps.resolve("old/1.0"));
    Files.writeString(apps.resolve("old/1.0/old"), "#!/bin/sh\n");
    Files.createSymbolicLink(apps.resolve("old/current"), Path.of("1.0"));
    Files.createDirectories(apps.resolve("older/1.0"));
    Files.writeString(root.resolve("var/lib/flotilla/apps-backup"), "kept\n");
    var units = new HostFiles(root, List.of("/etc/systemd/system"));
    units.write("/etc/systemd/system/flotilla-app-old.service", "[Service]\n".getBytes(UTF_8), "0644", null, null);
    units.write("/etc/systemd/system/other.service", "[Service]\n".getBytes(UTF_8), "0644", null, null);
    var store = new AppStore(apps, "/var/lib/flotilla/apps");
    var systemd = new RecordingSystemd(true);
    var appsHost = new Host(units, sysctl, new SystemdHost(systemd, store, url -> null, root));
    var empty = new DesiredState();
    var owned = new Inventory(Set.of(), Set.of(), Set.of(),
        Map.of("old", new Inventory.App("flotilla-app-old.service", true)));

    var plan = Planner.plan(empty, Map.of(), appsHost.observe(empty, owned), owned);
    var applied = new Applier(units, sysctl, systemd, new AppInstaller(store, url -> null, units, systemd))
        .apply(plan);

    assertThat(plan.lines()).containsExactly("- app old (no longer declared)");
    assertThat(outcomes(applied)).containsExactly(Outcome.DELETED);
    assertThat(systemd.calls).containsExactly("stop flotilla-app-old.service", "disable flotilla-app-old.service",
        "reload");
    assertThat(apps.resolve("old")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/flotilla-app-old.service")).doesNotExist();
    assertThat(apps.resolve("older/1.0")).isDirectory();
    assertThat(root.resolve("var/lib/flotilla/apps-backup")).hasContent("kept");
    assertThat(root.resolve("etc/systemd/system/other.service")).exists();

    var gone = new RecordingSystemd(false);
    var again = new Applier(units, sysctl, gone, new AppInstaller(store, url -> null, units, gone))
        .apply(plan);
    assertThat(outcomes(again)).as("applying the removal again finds nothing left").containsExactly(Outcome.UNCHANGED);
    assertThat(gone.calls).isEmpty();
    try (var state = AgentState.open(root.resolve("state"))) {
      state.recordApply(1, owned, new ApplyResult(List.of()), java.time.Instant.EPOCH);
      state.recordApply(2, Inventory.declaredBy(empty), applied, java.time.Instant.EPOCH);
      assertThat(state.inventory().apps()).as("the inventory forgets the removed app").isEmpty();
      assertThat(Planner.plan(empty, Map.of(), appsHost.observe(empty, state.inventory()), state.inventory()).lines())
          .as("the next pass plans nothing").isEmpty();
    }
  }

  @Test
  void leavesTheUnitOfARemovedAppThatADeclaredServiceUsesNow() throws IOException {
    var units = new HostFiles(root, List.of("/etc/systemd/system"));
    units.write("/etc/systemd/system/shared.service", "[Service]\n".getBytes(UTF_8), "0644", null, null);
    var store = new AppStore(root.resolve("apps"), "/apps");
    Files.createDirectories(root.resolve("apps/shared/1.0"));
    var systemd = new RecordingSystemd(true);
    var plan = new Plan(List.of(new RemoveApp("shared", "shared.service", false, false)));

    var applied = new Applier(units, sysctl, systemd, new AppInstaller(store, url -> null, units, systemd))
        .apply(plan);

    assertThat(outcomes(applied)).containsExactly(Outcome.DELETED);
    assertThat(systemd.calls).isEmpty();
    assertThat(root.resolve("etc/systemd/system/shared.service")).exists();
    assertThat(root.resolve("apps/shared")).doesNotExist();
  }

  @Test
  void dryRunSkipsEverything() throws IOException {
    var plan = plan(desired(Map.of("/etc/motd", "hi\n"), Map.of()), Inventory.EMPTY);

    assertThat(outcomes(ApplyResult.skipped(plan))).containsExactly(Outcome.SKIPPED);
    assertThat(ApplyResult.skipped(plan).failed()).isFalse();
  }

  private Plan plan(DesiredState desired, Inventory inventory) throws IOException {
    return Planner.plan(desired, Map.of(), host.observe(desired, inventory), inventory);
  }

  private static WriteFile write(String path, String content) {
    var bytes = content.getBytes(UTF_8);
    return new WriteFile(path, bytes, Digest.sha256(bytes).toString(), "0644", null, null, WriteFile.Action.CREATE,
        "not present");
  }

  static DesiredState desired(Map<String, String> files, Map<String, String> sysctl) {
    var desired = new DesiredState();
    new TreeMap<>(files).forEach((path, content) -> {
      var spec = new FileSpec();
      spec.setPath(path);
      spec.setContent(content);
      desired.getFiles().add(spec);
    });
    desired.setSysctl(sysctl);
    return desired;
  }

  private static List<Outcome> outcomes(ApplyResult result) {
    return result.results().stream().map(ChangeResult::outcome).toList();
  }
}
