package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.git.FleetRepo;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.GitHistory;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.rollout.GitStatusBranch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla report uptime} on a real checkout whose status branch a real {@link GitHistory} wrote: the CSV is
 * the same bytes on every run, counts the offline hour and the failing half hour, and the PDF carries its numbers.
 */
class ReportUptimeIT {
  private static final Instant DAY = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir
  Path work;

  private static HistoryEvent event(String at, String device, EventKind kind, String outcome) {
    var detail = JsonNodeFactory.instance.objectNode();
    if (outcome != null) {
      detail.put("outcome", outcome);
    }
    return new HistoryEvent(Instant.parse("2026-11-01T" + at + ":00Z"), "acme-retail", device, kind, null, detail);
  }

  @Test
  void csvIsReproducibleFromTheStatusBranchAndThePdfCarriesItsNumbers() throws Exception {
    try (var fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work.resolve("live"))) {
      fleet.commit("Template");
      try (var mirror = FleetRepo.mirror(work.resolve("mirror"), fleet.repo.toString(), "main");
           var history = GitHistory.open(mirror.repository(), fleet.repo.toString(), GitStatusBranch.BRANCH,
               work.resolve("history.db"), Clock.fixed(DAY, ZoneOffset.UTC), GitHistory.Settings.DEFAULTS)) {
        history.record(event("02:00", "kiosk-berlin-01-a", EventKind.OFFLINE, null));
        history.record(event("03:00", "kiosk-berlin-01-a", EventKind.ONLINE, null));
        history.record(event("10:00", "kiosk-berlin-01-b", EventKind.RECEIPT, "ApplyFailed"));
        history.record(event("10:30", "kiosk-berlin-01-b", EventKind.RECEIPT, "Applied"));
        history.flush();
      }
      var args = new String[] {"report", "uptime", "--repo", fleet.repo.toString(), "--tenant", "acme-retail",
          "--from", "2026-11-01", "--to", "2026-11-02", "--by", "site"};

      var first = Run.flotilla(args);
      var second = Run.flotilla(args);

      assertThat(first.err()).isEmpty();
      assertThat(first.exitCode()).isZero();
      assertThat(second.out()).isEqualTo(first.out());
      assertThat(first.out()).contains("device,berlin-01,kiosk-berlin-01-a,95.833,60.0,0.0,1,60.0,0,0,\r\n")
          .contains("device,berlin-01,kiosk-berlin-01-b,97.917,30.0,0.0,1,30.0,1,1,\r\n");
      var pdf = work.resolve("uptime.pdf");
      var written = Run.flotilla(args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8],
          args[9], args[10], args[11], "--format", "pdf", "--out", pdf.toString());
      assertThat(written.exitCode()).isZero();
      try (var document = Loader.loadPDF(Files.readAllBytes(pdf))) {
        var text = new PDFTextStripper().getText(document);
        assertThat(text).contains("Uptime report: tenant acme-retail")
            .contains("kiosk-berlin-01-a 95.833 60.0 0.0 1 60.0 0 0")
            .contains("kiosk-berlin-01-b 97.917 30.0 0.0 1 30.0 1 1");
      }
      assertThat(Run.flotilla("report", "uptime", "--repo", fleet.repo.toString(), "--tenant", "acme-retail",
          "--from", "2026-11-02", "--to", "2026-11-01").exitCode()).isEqualTo(2);
    }
  }
}
