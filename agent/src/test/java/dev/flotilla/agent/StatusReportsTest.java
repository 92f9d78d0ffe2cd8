package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.agent.plan.ChangeResult;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.SetSysctl;
import dev.flotilla.agent.status.Pass;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.FileSpec;
import dev.flotilla.model.ResourceStatus;
import dev.flotilla.model.ServiceSpec;
import dev.flotilla.model.StatusReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusReportsTest {

  @Test
  void reportsEveryDeclaredFileAndKeyWithWhetherItMatchesAfterThePass() throws Exception {
    var desired = desired();
    var failed = new SetSysctl("net.ipv4.ip_forward", "0", "1");
    var plan = new Plan(List.of(failed));
    var applied = new ApplyResult(List.of(ChangeResult.failed(failed, "permission denied")));
    var pass = new Pass(7, plan, applied, PassOutcome.APPLY_FAILED, "permission denied");

    var report = parse(StatusReports.of("kiosk-1", pass, 0, Instant.parse("2026-12-01T10:00:00Z"), desired, null, null));

    assertThat(report.getResources())
        .extracting(ResourceStatus::getKind, ResourceStatus::getName, ResourceStatus::getCompliant)
        .containsExactly(
            tuple("file", "/etc/motd", true),
            tuple("sysctl", "net.ipv4.ip_forward", false),
            tuple("unit", "chrony.service", false));
    assertThat(report.getResources().get(2).getMessage()).startsWith("not managed: no systemd bus configured");
  }

  @Test
  void reportsNoResourcesWhenNothingIsDeclared() throws Exception {
    var pass = Pass.nothingApplied(0, PassOutcome.NO_BUNDLE, null, "no bundle yet");

    var report = parse(StatusReports.of("kiosk-1", pass, 0, Instant.parse("2026-12-01T10:00:00Z"), null, null, null));

    assertThat(report.getResources()).isNullOrEmpty();
  }

  @Test
  void carriesTheHostSummaryInTheShapeTheReconcilerAccepts() throws Exception {
    var fixture = java.nio.file.Path.of("src/test/resources/telemetry/debian12-vm");
    var reader = new dev.flotilla.agent.telemetry.HostReader(fixture.resolve("proc"), fixture.resolve("sys"),
        mount -> new dev.flotilla.agent.telemetry.DiskSpace.Usage(32_000_000_000L, 9_000_000_000L));
    var host = new dev.flotilla.agent.telemetry.HostReports(reader, line -> { }).due(Instant.EPOCH).changes();
    var pass = Pass.nothingApplied(0, PassOutcome.NO_BUNDLE, null, "no bundle yet");

    var bytes = StatusReports.of("kiosk-1", pass, 0, Instant.parse("2026-12-01T10:00:00Z"), null, null, null, host);

    var tree = JsonMapper.builder().build().readTree(bytes);
    assertThat(new dev.flotilla.schema.SchemaValidator().validate("status", "status-report.yaml", tree)).isEmpty();
    assertThat(tree.path("host").path("bootTime").asText()).isEqualTo("2026-12-07T20:46:02Z");
    assertThat(tree.path("host").path("filesystems").get(0).path("availableBytes").asLong()).isEqualTo(8_960_000_000L);
  }

  private static DesiredState desired() {
    var file = new FileSpec();
    file.setPath("/etc/motd");
    file.setContent("hello\n");
    var unit = new ServiceSpec();
    unit.setUnit("chrony.service");
    var desired = new DesiredState();
    desired.setFiles(List.of(file));
    desired.setSysctl(Map.of("net.ipv4.ip_forward", "1"));
    desired.setServices(List.of(unit));
    return desired;
  }

  private static StatusReport parse(byte[] json) throws Exception {
    return JsonMapper.builder().addModule(new JavaTimeModule()).build().readValue(json, StatusReport.class);
  }
}
