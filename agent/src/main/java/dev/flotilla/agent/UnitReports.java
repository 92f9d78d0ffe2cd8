package dev.flotilla.agent;

import dev.flotilla.agent.host.SystemdHost;
import dev.flotilla.agent.host.systemd.Journal;
import dev.flotilla.plan.ReconfigureApp;
import dev.flotilla.plan.SwitchApp;
import dev.flotilla.model.AppStatus;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.ResourceStatus;
import dev.flotilla.model.StatusReport;
import dev.flotilla.model.WatcherSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The unit and app part of a status report, read from the host when the report is made: each app's version and
 * health (Healthy, Progressing, Failed with the reason), the last journal lines of failing declared units, and —
 * without a systemd bus — every declared unit and app as a resource that is not managed.
 */
final class UnitReports {
  static final String NOT_MANAGED = "not managed: no systemd bus configured; set 'dbusAddress' in the agent config";
  private static final int JOURNAL_LINES = 20;

  private UnitReports() {
  }

  /**
   * Adds the units and apps of {@code desired} to {@code report}, with the journal lines the bundle's {@code watchers}
   * ask for (null: {@value #JOURNAL_LINES} lines of every failing managed unit).
   */
  static void addTo(StatusReport report, DesiredState desired, WatcherSettings watchers, SystemdHost systemd) {
    if (desired == null) {
      return;
    }
    var services = desired.getServices() == null ? List.<dev.flotilla.model.ServiceSpec>of() : desired.getServices();
    var apps = desired.getApps() == null ? List.<dev.flotilla.model.AppSpec>of() : desired.getApps();
    if (systemd == null) {
      var resources = new ArrayList<ResourceStatus>();
      services.forEach(s -> resources.add(notManaged("unit", s.getUnit())));
      apps.forEach(a -> resources.add(notManaged("app", a.getName())));
      if (!resources.isEmpty()) {
        if (report.getResources() != null) {
          resources.addAll(0, report.getResources());
        }
        report.setResources(resources);
      }
      return;
    }
    var statuses = new ArrayList<AppStatus>();
    var journal = new ArrayList<String>();
    var units = new ArrayList<String>();
    services.forEach(s -> units.add(s.getUnit()));
    for (var app : apps) {
      statuses.add(appStatus(app, systemd));
      units.add(SwitchApp.unitOf(app));
    }
    var lines = journalLines(watchers);
    for (var unit : journalled(units, watchers)) {
      journal.addAll(journalOfFailing(unit, lines, systemd));
    }
    report.setApps(statuses.isEmpty() ? null : statuses);
    report.setJournal(journal.isEmpty() ? null : journal);
  }

  /** The units the agent manages for {@code desired}: declared services and the apps' units, sorted. */
  static Set<String> managedUnits(DesiredState desired) {
    var units = new TreeSet<String>();
    if (desired != null && desired.getServices() != null) {
      desired.getServices().forEach(s -> units.add(s.getUnit()));
    }
    if (desired != null && desired.getApps() != null) {
      desired.getApps().forEach(a -> units.add(SwitchApp.unitOf(a)));
    }
    return units;
  }

  private static AppStatus appStatus(dev.flotilla.model.AppSpec app, SystemdHost systemd) {
    var status = new AppStatus();
    status.setName(app.getName());
    try {
      var observed = systemd.apps().observe(app.getName(), app.getUnit());
      status.setVersion(observed.current() == null ? app.getVersion() : observed.current());
      var failed = observed.failed().get(app.getVersion());
      var unit = app.getVersion().equals(observed.current()) ? ReconfigureApp.unitFor(app, observed) : null;
      var failedUnit = unit == null ? null : observed.failedUnits().get(unit);
      if (failed != null) {
        status.setHealth("Failed");
        status.setMessage("version " + app.getVersion() + " failed its health check: " + failed
            + (observed.current() == null ? "" : "; running " + observed.current()));
      } else if (failedUnit != null) {
        status.setHealth("Failed");
        status.setMessage("the changed unit of version " + app.getVersion() + " failed its health check: "
            + failedUnit + "; running the previous unit");
      } else if (app.getVersion().equals(observed.current())
          && systemd.systemd().unit(SwitchApp.unitOf(app)).activeState().equals("active")) {
        status.setHealth("Healthy");
      } else {
        status.setHealth("Progressing");
      }
    } catch (IOException e) {
      status.setVersion(app.getVersion());
      status.setHealth("Progressing");
      status.setMessage(e.getMessage());
    }
    return status;
  }

  /** The managed units whose journal is sent when they fail: those {@code watchers.journald} names, else all. Pure. */
  static List<String> journalled(List<String> managed, WatcherSettings watchers) {
    var journald = watchers == null ? null : watchers.getJournald();
    if (journald == null || journald.getUnits() == null || journald.getUnits().isEmpty()) {
      return managed;
    }
    return managed.stream().filter(journald.getUnits()::contains).toList();
  }

  /** How many last lines of a failing unit's journal are sent. Pure. */
  static int journalLines(WatcherSettings watchers) {
    var journald = watchers == null ? null : watchers.getJournald();
    return journald == null || journald.getLines() == null ? JOURNAL_LINES : journald.getLines().intValue();
  }

  private static List<String> journalOfFailing(String unit, int lines, SystemdHost systemd) {
    try {
      if (!systemd.systemd().unit(unit).activeState().equals("failed")) {
        return List.of();
      }
      return new Journal(systemd.hostRoot()).lastLines(unit, lines).stream()
          .map(line -> unit + ": " + (line.length() > 4000 ? line.substring(0, 4000) : line)).toList();
    } catch (IOException e) {
      return List.of(unit + ": " + e.getMessage());
    }
  }

  private static ResourceStatus notManaged(String kind, String name) {
    var resource = new ResourceStatus();
    resource.setKind(kind);
    resource.setName(name);
    resource.setCompliant(false);
    resource.setMessage(NOT_MANAGED);
    return resource;
  }
}
