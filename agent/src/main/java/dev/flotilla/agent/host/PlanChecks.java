package dev.flotilla.agent.host;

import dev.flotilla.agent.host.apps.AppInstaller;
import dev.flotilla.agent.host.files.DiskSpace;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.files.PathObstacles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.host.systemd.Systemd;
import dev.flotilla.digest.Digest;
import dev.flotilla.plan.AppChange;
import dev.flotilla.plan.Change;
import dev.flotilla.plan.DeleteFile;
import dev.flotilla.plan.DeleteUnitFile;
import dev.flotilla.plan.InstallApp;
import dev.flotilla.plan.PersistSysctl;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.RemoveApp;
import dev.flotilla.plan.SetSysctl;
import dev.flotilla.plan.UnitChange;
import dev.flotilla.plan.WriteFile;
import dev.flotilla.plan.WriteSealedFile;
import dev.flotilla.plan.WriteUnitFile;
import java.io.IOException;
import java.util.List;

/**
 * The host's checks of a whole plan before anything is written: path rules and symlinks, declared sha256, sysctl
 * keys, a bus for units and apps, an artifact for each install, {@link PathObstacles}, {@link DiskSpace}. Reads the
 * host, writes nothing.
 */
final class PlanChecks {
  private final HostFiles files;
  private final Sysctl sysctl;
  private final Systemd systemd;
  private final AppInstaller apps;

  /** {@code systemd} and {@code apps} null when no bus is configured. */
  PlanChecks(HostFiles files, Sysctl sysctl, Systemd systemd, AppInstaller apps) {
    this.files = files;
    this.sysctl = sysctl;
    this.systemd = systemd;
    this.apps = apps;
  }

  /** Whether the host takes {@code plan} as a whole; the first refusal when it does not. Reads, never writes. */
  Precheck check(Plan plan) {
    var changes = plan.changes();
    for (int i = 0; i < changes.size(); i++) {
      var refusal = precheck(changes.get(i));
      if (refusal != null) {
        return new Precheck(plan, i, refusal);
      }
    }
    var obstacle = PathObstacles.first(files.root(), changes);
    if (obstacle.isPresent()) {
      return new Precheck(plan, obstacle.get().index(), obstacle.get().message());
    }
    var space = DiskSpace.shortfall(files, changes);
    return new Precheck(plan, space == null ? -1 : firstWrite(changes), space);
  }

  /** Why {@code change} must not be applied, or null. Writes nothing. */
  private String precheck(Change change) {
    try {
      switch (change) {
        case WriteFile w -> {
          files.resolve(w.path(), "write file");
          var actual = Digest.sha256(w.content()).toString();
          if (!actual.equals(w.sha256())) {
            return "write file '" + w.path() + "': content has " + actual + ", not the declared " + w.sha256()
                + "; fix the file's sha256 or content in the policy";
          }
        }
        case WriteSealedFile w -> files.resolve(w.path(), "write file");
        case DeleteFile d -> files.resolve(d.path(), "delete file");
        case SetSysctl s -> sysctl.check(s.key());
        case PersistSysctl p -> { }
        case WriteUnitFile w -> {
          files.resolve(w.path(), "write unit file");
          return noBus(w);
        }
        case DeleteUnitFile d -> {
          files.resolve(d.path(), "delete unit file");
          return noBus(d);
        }
        case UnitChange u -> {
          return noBus(u);
        }
        case AppChange a -> {
          return appPrecheck(a);
        }
      }
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** Why an app change must not be applied: a unit file it deletes is not allowed, no bus, no artifact; or null. */
  private String appPrecheck(AppChange change) throws IOException {
    var previous = change.previousUnit();
    if (change instanceof RemoveApp r && r.deleteUnitFile()) {
      files.resolve(r.unitFilePath(), "delete unit file");
    } else if (previous != null && previous.deleteUnitFile()) {
      files.resolve(previous.path(), "delete unit file");
    }
    var noBus = noBus(change);
    return noBus == null && change instanceof InstallApp i ? AppInstaller.precheck(i) : noBus;
  }

  private String noBus(Change change) {
    var app = change instanceof AppChange;
    return systemd != null && (apps != null || !app) ? null : "apply " + change.resourceKey()
        + ": no systemd bus configured; set 'dbusAddress' in the agent config";
  }

  private static int firstWrite(List<Change> changes) {
    for (int i = 0; i < changes.size(); i++) {
      if (changes.get(i) instanceof WriteFile || changes.get(i) instanceof WriteSealedFile
          || changes.get(i) instanceof WriteUnitFile) {
        return i;
      }
    }
    return 0;
  }
}
