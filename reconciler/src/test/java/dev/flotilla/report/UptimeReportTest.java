package dev.flotilla.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.report.UptimeReport.Member;
import dev.flotilla.report.UptimeReport.Span;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class UptimeReportTest {
  private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-11-02T00:00:00Z");

  private static Instant at(String time) {
    return Instant.parse("2026-11-01T" + time + ":00Z");
  }

  private static HistoryEvent offline(String device, Instant at) {
    return new HistoryEvent(at, "acme", device, EventKind.OFFLINE, null, JsonNodeFactory.instance.objectNode());
  }

  private static HistoryEvent online(String device, Instant at) {
    return new HistoryEvent(at, "acme", device, EventKind.ONLINE, null, JsonNodeFactory.instance.objectNode());
  }

  private static HistoryEvent receipt(String device, Instant at, String outcome) {
    return new HistoryEvent(at, "acme", device, EventKind.RECEIPT, "c0ffee",
        JsonNodeFactory.instance.objectNode().put("outcome", outcome));
  }

  private static UptimeReport report() {
    var events = Map.of(
        // down 60 min offline, then failing 30 min after a bad apply until the fix converged
        "kiosk-1", List.of(offline("kiosk-1", at("02:00")), online("kiosk-1", at("03:00")),
            receipt("kiosk-1", at("10:00"), "ApplyFailed"), receipt("kiosk-1", at("10:30"), "Applied")),
        // offline since before the period and back at 01:00: 60 min in the period, its repair took 3 h
        "kiosk-2", List.of(offline("kiosk-2", Instant.parse("2026-10-31T22:00:00Z")), online("kiosk-2", at("01:00")),
            receipt("kiosk-2", at("05:00"), "RefusedBadSignature")),
        // offline 04:00-06:00, but 04:00-05:00 is its maintenance window; still offline at the end
        "till-1", List.of(offline("till-1", at("04:00")), online("till-1", at("06:00")),
            offline("till-1", at("23:00"))));
    var members = List.of(new Member("kiosk-1", "berlin", 120.0), new Member("kiosk-2", "berlin", 120.0),
        new Member("till-1", "hamburg", null));
    UptimeReport.Maintenance windows = (device, from, to) -> device.equals("till-1")
        ? List.of(new Span(at("04:00"), at("05:00"))) : List.of();
    return UptimeReport.of("acme", FROM, TO, "site", members, events, windows);
  }

  @Test
  void countsOfflineAndFailingAsDowntimeAndMaintenanceApart() {
    var report = report();

    var byDevice = new java.util.HashMap<String, UptimeReport.Row>();
    report.devices().forEach(row -> byDevice.put(row.device(), row));
    var kiosk1 = byDevice.get("kiosk-1");
    assertThat(kiosk1.downtimeMinutes()).isEqualTo(90.0);
    assertThat(kiosk1.episodes()).isEqualTo(2);
    assertThat(kiosk1.mttrMinutes()).isEqualTo(45.0);
    assertThat(kiosk1.applies()).isEqualTo(1);
    assertThat(kiosk1.failures()).isEqualTo(1);
    assertThat(kiosk1.downtimeCost()).isEqualTo(180.0);
    assertThat(kiosk1.uptimePercent()).isEqualTo(100.0 * (1440 - 90) / 1440);
    var kiosk2 = byDevice.get("kiosk-2");
    assertThat(kiosk2.downtimeMinutes()).isEqualTo(60.0);
    assertThat(kiosk2.mttrMinutes()).isEqualTo(180.0);
    assertThat(kiosk2.failures()).as("a refused bundle is a failure, not downtime").isEqualTo(1);
    var till = byDevice.get("till-1");
    assertThat(till.maintenanceMinutes()).isEqualTo(60.0);
    assertThat(till.downtimeMinutes()).isEqualTo(60.0 + 60.0);
    assertThat(till.episodes()).isEqualTo(2);
    assertThat(till.mttrMinutes()).as("only the episode that ended").isEqualTo(120.0);
    assertThat(till.downtimeCost()).isNull();

    assertThat(report.groups()).extracting(UptimeReport.Row::group).containsExactly("berlin", "hamburg");
    assertThat(report.groups().getFirst().downtimeMinutes()).isEqualTo(150.0);
    assertThat(report.groups().getFirst().downtimeCost()).isEqualTo(300.0);
    assertThat(report.total().downtimeMinutes()).isEqualTo(270.0);
    assertThat(report.total().downtimeCost()).as("unknown when a device's cost is").isNull();
    assertThat(report.total().uptimePercent()).isEqualTo(100.0 * (3 * 1440 - 270) / (3 * 1440));
  }

  @Test
  void csvIsTheSameBytesEveryTimeAndRoundsOneWay() {
    var csv = ReportCsv.of(report());

    assertThat(ReportCsv.of(report())).isEqualTo(csv);
    assertThat(csv.split("\r\n")).hasSize(1 + 3 + 2 + 1);
    assertThat(csv).startsWith(ReportCsv.HEADER + "\r\n")
        .contains("device,berlin,kiosk-1,93.750,90.0,0.0,2,45.0,1,1,180.00\r\n")
        .contains("group,hamburg,,91.667,120.0,60.0,2,120.0,0,0,\r\n")
        .endsWith("total,all,,93.750,270.0,60.0,5,97.5,1,2,\r\n");
  }

  @Test
  void pdfCarriesEveryNumberOfTheCsv() throws Exception {
    var report = report();

    var pdf = ReportPdf.of(report);

    try (var document = Loader.loadPDF(pdf)) {
      assertThat(document.getNumberOfPages()).isEqualTo(1 + report.groups().size());
      var text = new PDFTextStripper().getText(document);
      assertThat(text).contains("Uptime report: tenant acme");
      var rows = new ArrayList<UptimeReport.Row>(report.devices());
      rows.addAll(report.groups());
      rows.add(report.total());
      for (var row : rows) {
        var cells = ReportCsv.cells(row).subList(2, ReportCsv.cells(row).size()).stream()
            .filter(cell -> !cell.isEmpty()).toList();
        assertThat(text).as("the PDF line of %s/%s", row.group(), row.device())
            .containsPattern("(?m)^" + java.util.regex.Pattern.quote(row.device() == null ? row.group() : row.device())
                + " " + java.util.regex.Pattern.quote(String.join(" ", cells)) + "$");
      }
    }
  }
}
