package dev.flotilla.agent.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.plan.ChangeResult;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.digest.Digest;
import dev.flotilla.plan.DeleteFile;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.WriteFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The applier refuses a whole plan, before writing anything, when the host cannot take one of its paths. */
class ApplierPreflightTest {
  @TempDir
  Path root;
  @TempDir
  Path proc;
  Applier applier;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(root.resolve("etc"));
    applier = new Applier(new HostFiles(root, List.of("/etc")), new Sysctl(proc, root));
  }

  @Test
  void refusesThePlanWhenAnAncestorOfAFileIsARegularFile() throws IOException {
    Files.writeString(root.resolve("etc/ssh"), "not a directory\n");
    var plan = new Plan(List.of(write("/etc/aaa-first.conf"), write("/etc/flotilla-demo.conf"),
        write("/etc/kiosk-ui/kiosk.conf"), write("/etc/motd"), write("/etc/ssh/sshd_config.d/50-acme.conf")));

    var result = applier.apply(plan);

    assertThat(result.results()).containsExactly(skipped(plan, 0), skipped(plan, 1), skipped(plan, 2),
        skipped(plan, 3), ChangeResult.failed(plan.changes().get(4), "write files: '/etc/ssh' is a regular file, "
            + "so '/etc/ssh/sshd_config.d/50-acme.conf' cannot be created; nothing was written; remove or rename "
            + "'/etc/ssh' on the device, or change the path in the fleet"));
    assertThat(entries(root.resolve("etc"))).containsExactly("ssh");
  }

  @Test
  void refusesThePlanWhenADirectoryStandsWhereAFileIsWritten() throws IOException {
    Files.createDirectories(root.resolve("etc/motd"));
    var plan = new Plan(List.of(write("/etc/issue"), write("/etc/motd")));

    var result = applier.apply(plan);

    assertThat(result.error()).hasValue("write files: '/etc/motd' is a directory, so it cannot be replaced by a "
        + "file; nothing was written; remove or rename '/etc/motd' on the device, or change the path in the fleet");
    assertThat(entries(root.resolve("etc"))).containsExactly("motd");
  }

  @Test
  void refusesThePlanWhenItWritesAFileWhereItsOtherFileNeedsADirectory() throws IOException {
    var plan = new Plan(List.of(write("/etc/kiosk"), write("/etc/kiosk/app.conf")));

    var result = applier.apply(plan);

    assertThat(outcomes(result)).containsExactly(Outcome.SKIPPED, Outcome.FAILED);
    assertThat(result.error()).hasValue("write files: '/etc/kiosk' is written as a file too, so "
        + "'/etc/kiosk/app.conf' cannot be created; nothing was written; change one of the two paths in the fleet");
    assertThat(entries(root.resolve("etc"))).isEmpty();
  }

  @Test
  void refusesThePlanWhenAFileToDeleteIsADirectory() throws IOException {
    Files.createDirectories(root.resolve("etc/old.conf"));
    var plan = new Plan(List.of(write("/etc/motd"), new DeleteFile("/etc/old.conf")));

    var result = applier.apply(plan);

    assertThat(outcomes(result)).containsExactly(Outcome.SKIPPED, Outcome.FAILED);
    assertThat(result.error()).hasValue("delete files: '/etc/old.conf' is a directory; nothing was written; the "
        + "agent deletes only files, remove it on the device");
    assertThat(root.resolve("etc/motd")).doesNotExist();
  }

  @Test
  void appliesThePlanWhenEveryPathCanBeTaken() throws IOException {
    Files.writeString(root.resolve("etc/old.conf"), "old\n");
    var plan = new Plan(List.of(write("/etc/kiosk-ui/kiosk.conf"), write("/etc/motd"),
        new DeleteFile("/etc/old.conf"), new DeleteFile("/etc/never-there.conf")));

    var result = applier.apply(plan);

    assertThat(outcomes(result)).containsExactly(Outcome.CREATED, Outcome.CREATED, Outcome.DELETED,
        Outcome.UNCHANGED);
  }

  @Test
  void precheckNamesTheRefusalThatApplyReports() {
    var plan = new Plan(List.of(write("/etc/motd"), write("/usr/local/bin/tool")));

    var checked = applier.precheck(plan);

    assertThat(checked.refused()).isTrue();
    assertThat(checked.index()).isEqualTo(1);
    assertThat(applier.apply(plan, checked).error()).hasValue(checked.message());
    assertThat(checked.message()).startsWith("write file '/usr/local/bin/tool': outside the allowed paths (/etc)");
  }

  @Test
  void applyTakesThePrecheckItIsGivenAndDoesNotCheckAgain() throws IOException {
    var plan = new Plan(List.of(write("/etc/issue"), write("/etc/motd")));
    var given = new Precheck(plan, 1, "refused when the plan was checked");

    var result = applier.apply(plan, given);

    assertThat(result.results()).containsExactly(skipped(plan, 0),
        ChangeResult.failed(plan.changes().get(1), "refused when the plan was checked"));
    assertThat(entries(root.resolve("etc"))).isEmpty();
  }

  @Test
  void refusesThePrecheckOfAnotherPlan() {
    var plan = new Plan(List.of(write("/etc/motd")));
    var other = applier.precheck(new Plan(List.of(write("/etc/motd"))));

    assertThatThrownBy(() -> applier.apply(plan, other)).isInstanceOf(IllegalArgumentException.class);
    assertThat(root.resolve("etc/motd")).doesNotExist();
  }

  private static WriteFile write(String path) {
    var bytes = ("content of " + path + "\n").getBytes(UTF_8);
    return new WriteFile(path, bytes, Digest.sha256(bytes).toString(), "0644", null, null, WriteFile.Action.CREATE,
        "not present");
  }

  private static ChangeResult skipped(Plan plan, int index) {
    return ChangeResult.of(plan.changes().get(index), Outcome.SKIPPED);
  }

  private static List<Outcome> outcomes(dev.flotilla.agent.plan.ApplyResult result) {
    return result.results().stream().map(ChangeResult::outcome).toList();
  }

  private static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
