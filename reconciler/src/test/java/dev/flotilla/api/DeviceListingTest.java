package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.model.Condition;
import dev.flotilla.model.ConditionStatus;
import dev.flotilla.model.ResourceStatus;
import dev.flotilla.model.StatusReport;
import dev.flotilla.publish.Published;
import dev.flotilla.status.StatusBoard;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceListingTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void rowsJoinPublishedVersionsWithTheLastReport() {
    var published = Map.of(
        "kiosk-a", new Published("acme", "kiosk-a", 7, "h", "c0ffee", NOW, NOW.plusSeconds(60), new byte[0]),
        "pos-b", new Published("acme", "pos-b", 3, "h", "c0ffee", NOW, NOW.plusSeconds(60), new byte[0]));
    var report = new StatusReport();
    report.setDevice("kiosk-a");
    report.setBundleVersion(6L);
    report.setObservedAt(OffsetDateTime.parse("2026-12-01T11:59:58Z"));
    var ready = new Condition();
    ready.setType("Ready");
    ready.setStatus(ConditionStatus.FALSE);
    ready.setReason("ApplyFailed");
    report.setConditions(List.of(ready));
    report.setResources(List.of(resource(true), resource(false), resource(true)));

    var rows = DeviceListing.rows(published, Map.of("kiosk-a", new StatusBoard.Entry(report, NOW)), new ObjectMapper());

    assertThat(rows).hasSize(2);
    var kiosk = rows.get(0);
    assertThat(kiosk.path("name").asText()).isEqualTo("kiosk-a");
    assertThat(kiosk.path("tenant").asText()).isEqualTo("acme");
    assertThat(kiosk.path("publishedVersion").asLong()).isEqualTo(7);
    assertThat(kiosk.path("reportedVersion").asLong()).isEqualTo(6);
    assertThat(kiosk.path("receivedAt").asText()).isEqualTo("2026-12-01T12:00:00Z");
    assertThat(kiosk.path("observedAt").asText()).startsWith("2026-12-01T11:59:58");
    assertThat(kiosk.path("ready").path("status").asText()).isEqualTo("False");
    assertThat(kiosk.path("ready").path("reason").asText()).isEqualTo("ApplyFailed");
    assertThat(kiosk.path("compliant").asInt()).isEqualTo(2);
    assertThat(kiosk.path("resources").asInt()).isEqualTo(3);
    assertThat(kiosk.path("failing").path("kind").asText() + " " + kiosk.path("failing").path("name").asText())
        .isEqualTo("file /etc/motd");
    var pos = rows.get(1);
    assertThat(pos.path("name").asText()).isEqualTo("pos-b");
    assertThat(pos.has("reportedVersion")).isFalse();
    assertThat(pos.has("receivedAt")).isFalse();
  }

  private static ResourceStatus resource(boolean compliant) {
    var resource = new ResourceStatus();
    resource.setKind("file");
    resource.setName("/etc/motd");
    resource.setCompliant(compliant);
    return resource;
  }
}
