package dev.flotilla.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.plan.ChangeResult;
import dev.flotilla.plan.Inventory;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.Planner;
import dev.flotilla.model.DesiredState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's sysctl.d file follows the desired sysctl values whatever the live ones, on a temp host root. */
class SysctlFileTest {
  static final String FILE_CONTENT = """
      # managed by flotilla-agent; changes are overwritten
      net.ipv4.ip_forward = 1""";
  @TempDir
  Path root;
  @TempDir
  Path proc;
  Host host;
  Applier applier;
  Path file;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(proc.resolve("sys/net/ipv4"));
    Files.writeString(proc.resolve("sys/net/ipv4/ip_forward"), "1\n");
    var files = new HostFiles(root, List.of("/etc/motd"));
    var sysctl = new Sysctl(proc, root);
    host = new Host(files, sysctl);
    applier = new Applier(files, sysctl);
    file = root.resolve("etc/sysctl.d/90-flotilla.conf");
  }

  @Test
  void writesTheFileWhenTheLiveValuesAlreadyMatch() throws IOException {
    var desired = ApplierTest.desired(Map.of(), Map.of("net.ipv4.ip_forward", "1"));

    var plan = plan(desired, Inventory.EMPTY);
    var result = applier.apply(plan);

    assertThat(plan.lines()).containsExactly("+ file /etc/sysctl.d/90-flotilla.conf (sysctl values for boot)");
    assertThat(outcomes(result)).containsExactly(Outcome.CREATED);
    assertThat(file).hasContent(FILE_CONTENT);
    assertThat(plan(desired, Inventory.declaredBy(desired)).isEmpty()).isTrue();
  }

  @Test
  void restoresTheFileDeletedOrEditedByHand() throws IOException {
    var desired = ApplierTest.desired(Map.of(), Map.of("net.ipv4.ip_forward", "1"));
    var owned = Inventory.declaredBy(desired);
    applier.apply(plan(desired, Inventory.EMPTY));

    Files.delete(file);
    var afterDelete = plan(desired, owned);
    applier.apply(afterDelete);
    var restored = Files.readString(file);
    Files.writeString(file, "net.ipv4.ip_forward = 0\n");
    var afterEdit = plan(desired, owned);
    var result = applier.apply(afterEdit);

    assertThat(afterDelete.lines()).containsExactly("+ file /etc/sysctl.d/90-flotilla.conf (sysctl values for boot)");
    assertThat(restored).isEqualTo(FILE_CONTENT + "\n");
    assertThat(afterEdit.lines())
        .containsExactly("~ file /etc/sysctl.d/90-flotilla.conf (sysctl values for boot: content)");
    assertThat(outcomes(result)).containsExactly(Outcome.UPDATED);
    assertThat(file).hasContent(FILE_CONTENT);
  }

  @Test
  void deletesTheFileOnceNoSysctlIsDeclared() throws IOException {
    var before = ApplierTest.desired(Map.of(), Map.of("net.ipv4.ip_forward", "1"));
    applier.apply(plan(before, Inventory.EMPTY));
    var after = ApplierTest.desired(Map.of("/etc/motd", "hi\n"), Map.of());

    var result = applier.apply(plan(after, Inventory.declaredBy(before)));

    assertThat(outcomes(result)).containsExactly(Outcome.CREATED, Outcome.DELETED);
    assertThat(file).doesNotExist();
  }

  @Test
  void aRegularFileInPlaceOfItsDirectoryRefusesThePlanBeforeAnyWrite() throws IOException {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/sysctl.d"), "not a directory\n");
    var desired = ApplierTest.desired(Map.of("/etc/motd", "hi\n"), Map.of("net.ipv4.ip_forward", "1"));

    var result = applier.apply(plan(desired, Inventory.EMPTY));

    assertThat(result.error()).hasValue("write files: '/etc/sysctl.d' is a regular file, so "
        + "'/etc/sysctl.d/90-flotilla.conf' cannot be created; nothing was written; remove or rename "
        + "'/etc/sysctl.d' on the device, or change the path in the fleet");
    assertThat(root.resolve("etc/motd")).doesNotExist();
  }

  private Plan plan(DesiredState desired, Inventory inventory) throws IOException {
    return Planner.plan(desired, Map.of(), host.observe(desired, inventory), inventory);
  }

  private static List<Outcome> outcomes(dev.flotilla.agent.plan.ApplyResult result) {
    return result.results().stream().map(ChangeResult::outcome).toList();
  }
}
