package dev.flotilla.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.FilesystemSummary;
import dev.flotilla.model.HostSummary;
import dev.flotilla.model.StatusReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Agents send the host fields that changed; the board holds each device's whole picture. */
class HostMergeTest {
  static HostSummary host(Long oomKills, Double load1, List<FilesystemSummary> filesystems) {
    var host = new HostSummary();
    host.setOomKills(oomKills);
    host.setLoad1(load1);
    host.setFilesystems(filesystems);
    return host;
  }

  static FilesystemSummary fs(String mount, long available) {
    var fs = new FilesystemSummary();
    fs.setMountPoint(mount);
    fs.setSizeBytes(100L);
    fs.setAvailableBytes(available);
    return fs;
  }

  @Test
  void replacesTheFieldsThatChangedAndKeepsTheOthers() {
    var known = host(0L, 0.5, List.of(fs("/", 50), fs("/data", 90)));
    var changes = host(null, 2.5, List.of(fs("/", 10)));

    var merged = HostMerge.merge(known, changes);

    assertThat(merged.getOomKills()).isZero();
    assertThat(merged.getLoad1()).isEqualTo(2.5);
    assertThat(merged.getFilesystems()).as("a list is replaced whole, not appended to").containsExactly(fs("/", 10));
  }

  @Test
  void anAbsentOrEmptyListLeavesTheKnownOne() {
    var known = host(0L, 0.5, List.of(fs("/", 50)));

    assertThat(HostMerge.merge(known, host(1L, null, List.of())).getFilesystems()).containsExactly(fs("/", 50));
    assertThat(HostMerge.merge(known, null)).isEqualTo(known);
    assertThat(HostMerge.merge(null, known)).isEqualTo(known);
  }

  @Test
  void theBoardKeepsTheHostOfEarlierReports() {
    var board = new StatusBoard();
    var first = new StatusReport();
    first.setHost(host(0L, 0.5, List.of(fs("/", 50))));
    board.put("kiosk-1", first, Instant.EPOCH);
    var second = new StatusReport();
    second.setHost(host(3L, null, null));
    board.put("kiosk-1", second, Instant.EPOCH.plusSeconds(60));
    board.put("kiosk-1", new StatusReport(), Instant.EPOCH.plusSeconds(90));

    assertThat(board.get("kiosk-1").report().getHost()).isEqualTo(host(3L, 0.5, List.of(fs("/", 50))));
  }
}
