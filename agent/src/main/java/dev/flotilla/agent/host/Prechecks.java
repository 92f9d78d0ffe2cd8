package dev.flotilla.agent.host;

import dev.flotilla.agent.host.apps.AppInstaller;
import dev.flotilla.agent.host.files.DiskSpace;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.plan.AppChange;
import dev.flotilla.agent.plan.Change;
import dev.flotilla.agent.plan.DeleteFile;
import dev.flotilla.agent.plan.DeleteUnitFile;
import dev.flotilla.agent.plan.InstallApp;
import dev.flotilla.agent.plan.Plan;
import dev.flotilla.agent.plan.RemoveApp;
import dev.flotilla.agent.plan.SetSysctl;
import dev.flotilla.agent.plan.Sha256;
import dev.flotilla.agent.plan.UnitChange;
import dev.flotilla.agent.plan.WriteFile;
import dev.flotilla.agent.plan.WriteUnitFile;
import java.io.IOException;

/**
 * Whether the host refuses a plan as a whole, before anything is written: the up-front checks of {@link Applier}
 * (path rules, symlinks among the parents, the declared sha256 of content, sysctl keys exist, a systemd bus for
 * units and apps, an artifact for each app install) and that the plan's files fit on the host's filesystems. The
 * agent runs it on a new bundle's plan so a bundle the host cannot take never becomes the current one.
 *
 * <p>It mirrors {@code Applier}'s private checks, in the same order and with the same messages, until the
 * applier offers them itself; a check the applier adds and this one lacks makes such a plan fail at apply (as
 * ApplyFailed) instead. Reads the host, writes nothing, never throws.
 */
public final class Prechecks {
  private final HostFiles files;
  private final Sysctl sysctl;
  private final boolean bus;

  /** @param bus whether a systemd bus (and so an app installer) is configured */
  public Prechecks(HostFiles files, Sysctl sysctl, boolean bus) {
    this.files = files;
    this.sysctl = sysctl;
    this.bus = bus;
  }

  /** Why the host refuses {@code plan} as a whole, as the applier would say it; null when it does not. */
  public String refusal(Plan plan) {
    for (var change : plan.changes()) {
      var refusal = refusal(change);
      if (refusal != null) {
        return refusal;
      }
    }
    return DiskSpace.shortfall(files, plan.changes());
  }

  private String refusal(Change change) {
    try {
      switch (change) {
        case WriteFile w -> {
          files.resolve(w.path(), "write file");
          var actual = Sha256.of(w.content());
          if (!actual.equals(w.sha256())) {
            return "write file '" + w.path() + "': content has " + actual + ", not the declared " + w.sha256()
                + "; fix the file's sha256 or content in the policy";
          }
        }
        case DeleteFile d -> files.resolve(d.path(), "delete file");
        case SetSysctl s -> sysctl.check(s.key());
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
          return appRefusal(a);
        }
      }
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  private String appRefusal(AppChange change) throws IOException {
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
    return bus ? null : "apply " + change.resourceKey() + ": no systemd bus configured; set 'dbusAddress' in the agent config";
  }
}
