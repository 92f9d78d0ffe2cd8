package dev.flotilla.agent.receipt;

import dev.flotilla.agent.host.SystemdHost;
import dev.flotilla.agent.host.systemd.Journal;
import dev.flotilla.model.DesiredState;
import dev.flotilla.plan.SwitchApp;
import java.io.IOException;
import java.util.List;

/**
 * Reads a failed unit's (or app's unit's) {@code Result}, exit status and last journal lines from the host over
 * systemd and journalctl. Read-only; what cannot be read is left out, for the change's error already says why.
 */
public record HostUnitFailures(SystemdHost systemd, DesiredState desired) implements UnitFailure.Lookup {

  @Override
  public UnitFailure of(String kind, String name) {
    var unit = kind.equals("unit") ? name : appUnit(name);
    if (systemd == null || unit == null) {
      return null;
    }
    try {
      var observed = systemd.systemd().unit(unit);
      List<String> journal;
      try {
        journal = new Journal(systemd.hostRoot()).lastLines(unit, ReceiptMaker.MAX_JOURNAL_LINES);
      } catch (IOException e) {
        journal = List.of();
      }
      return new UnitFailure(observed.result(), observed.execMainStatus(), journal);
    } catch (IOException e) {
      return null;
    }
  }

  private String appUnit(String app) {
    if (desired == null || desired.getApps() == null) {
      return null;
    }
    return desired.getApps().stream().filter(spec -> spec.getName().equals(app)).findFirst().map(SwitchApp::unitOf)
        .orElse(null);
  }
}
