package dev.flotilla.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What host summary status reports carry: everything first, then only changes, at most once a minute. */
class HostReportsTest {
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  static final long KIB = 1024;
  @TempDir
  Path tree;
  HostReaderTest fixture = new HostReaderTest();
  List<String> log = new ArrayList<>();
  HostReports reports;

  @BeforeEach
  void start() throws IOException {
    fixture.tree = tree;
    fixture.copyFixture();
    reports = new HostReports(new HostReader(tree.resolve("proc"), tree.resolve("sys"), HostReaderTest.DISKS),
        log::add);
  }

  @Test
  void sendsTheWholePictureFirst() {
    var due = reports.due(T0);

    assertThat(due.full()).isTrue();
    var host = due.changes();
    assertThat(host.getMemoryTotalBytes()).isEqualTo(24683772 * KIB);
    assertThat(host.getMemoryAvailableBytes() % (24683772 * KIB / 100)).isZero();
    assertThat(host.getLoad1()).isEqualTo(4.9);
    assertThat(host.getPressure().getCpu()).isEqualTo(63.0);
    assertThat(host.getPressure().getIo()).isEqualTo(0.0);
    assertThat(host.getTemperatureCelsius()).isEqualTo(47.0);
    assertThat(host.getBootTime()).hasToString("2026-12-07T20:46:02Z");
    assertThat(host.getOomKills()).isZero();
    assertThat(host.getFilesystems()).singleElement()
        .satisfies(fs -> assertThat(List.of(fs.getMountPoint(), fs.getSizeBytes(), fs.getAvailableBytes()))
            .containsExactly("/", 1000L, 250L));
    assertThat(host.getCpuBusyPercent()).as("no earlier sample to measure against").isNull();
  }

  @Test
  void sendsNothingWithinAMinuteNorWhenNothingChanged() {
    reports.sent(reports.due(T0));

    assertThat(reports.due(T0.plusSeconds(59))).isNull();
    assertThat(reports.due(T0.plusSeconds(61))).isNull();
  }

  @Test
  void sendsOnlyTheFieldsThatChanged() throws IOException {
    reports.sent(reports.due(T0));
    Files.writeString(tree.resolve("proc/vmstat"),
        Files.readString(tree.resolve("proc/vmstat")).replace("oom_kill 0", "oom_kill 2"));
    Files.writeString(tree.resolve("proc/loadavg"), "4.96 2.60 2.05 5/176 6061\n");

    var due = reports.due(T0.plusSeconds(60));

    assertThat(due.full()).isFalse();
    assertThat(due.changes().getOomKills()).isEqualTo(2);
    assertThat(due.changes().getLoad1()).as("4.96 rounds to 5.0, 4.94 to 4.9").isEqualTo(5.0);
    assertThat(due.changes().getMemoryTotalBytes()).isNull();
    assertThat(due.changes().getFilesystems()).isNull();
  }

  @Test
  void sendsAgainWhatDidNotReachTheReconciler() throws IOException {
    reports.sent(reports.due(T0));
    Files.writeString(tree.resolve("proc/loadavg"), "0.10 0.20 0.30 1/100 1\n");
    reports.due(T0.plusSeconds(60)); // the report failed: not sent

    var again = reports.due(T0.plusSeconds(61));

    assertThat(again.changes().getLoad1()).isEqualTo(0.1);
  }

  @Test
  void sendsTheWholePictureAgainEveryHour() {
    reports.sent(reports.due(T0));

    var due = reports.due(T0.plus(HostReports.FULL_EVERY));

    assertThat(due.full()).isTrue();
    assertThat(due.changes().getMemoryTotalBytes()).isEqualTo(24683772 * KIB);
  }

  @Test
  void measuresCpuBetweenSummaries() throws IOException {
    reports.sent(reports.due(T0));
    // 300 more ticks busy (user) and 700 idle: 30% busy
    Files.writeString(tree.resolve("proc/stat"), Files.readString(tree.resolve("proc/stat"))
        .replace("cpu  1512412 0 124415 485393", "cpu  1512712 0 124415 486093"));

    assertThat(reports.due(T0.plusSeconds(60)).changes().getCpuBusyPercent()).isEqualTo(30);
  }

  @Test
  void sendsNothingAndSaysWhyWhenTheHostCannotBeRead() throws IOException {
    Files.writeString(tree.resolve("proc/meminfo"), "MemTotal: lots\n");

    assertThat(reports.due(T0)).isNull();
    assertThat(log).singleElement().asString().startsWith("read host telemetry under ");
  }
}
