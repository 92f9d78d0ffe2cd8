package dev.flotilla.agent.host;

import dev.flotilla.agent.host.apps.AppInstaller;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.files.PathObstacles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.host.systemd.Systemd;
import dev.flotilla.agent.host.systemd.UnitRemover;
import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.agent.plan.ChangeResult;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.digest.Digest;
import dev.flotilla.plan.AppChange;
import dev.flotilla.plan.Change;
import dev.flotilla.plan.DeleteFile;
import dev.flotilla.plan.DeleteUnitFile;
import dev.flotilla.plan.EnableUnit;
import dev.flotilla.plan.InstallApp;
import dev.flotilla.plan.PersistSysctl;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.ReconfigureApp;
import dev.flotilla.plan.RemoveApp;
import dev.flotilla.plan.SetSysctl;
import dev.flotilla.plan.StartUnit;
import dev.flotilla.plan.StopUnit;
import dev.flotilla.plan.SwitchApp;
import dev.flotilla.plan.UnitChange;
import dev.flotilla.plan.WriteFile;
import dev.flotilla.plan.WriteSealedFile;
import dev.flotilla.agent.secret.SealedFiles;
import dev.flotilla.plan.WriteUnitFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Applies a {@link Plan} to the host. It never decides what to do; it follows the plan in order.
 *
 * <ul>
 *   <li>All or nothing up front: before writing anything it checks every change (path rules, the declared sha256 of
 *       content, sysctl keys exist), that the host can take every file write and deletion ({@link PathObstacles}:
 *       no file where a directory must be, no read-only directory) and that the plan's files fit on the host's
 *       filesystems. If one check fails, that change (for a full disk, the first write) is FAILED, the others
 *       SKIPPED, and nothing is written.
 *   <li>Stops at the first failure: later changes are SKIPPED.
 *   <li>Idempotent: a change the host already satisfies is UNCHANGED and not written again.
 *   <li>The sysctl values survive a reboot through the plan's {@link PersistSysctl}, which the planner plans
 *       whenever the agent's sysctl.d file differs from the desired values.
 *   <li>A unit file no longer declared is removed after its unit is stopped and disabled (unless still declared);
 *       an app no longer declared likewise, with its directory, and the old unit of an app moved to another unit
 *       (all through one {@link UnitRemover}); systemd is reloaded once, after the plan's last removal.
 *   <li>Units and apps go through {@link Systemd} and {@link AppInstaller}; each unit change returns once
 *       systemd's job finished. Without a systemd bus (null) a unit or app change is refused.
 * </ul>
 * Never throws for I/O failures; they are results.
 */
public final class Applier {
  private final HostFiles files;
  private final Sysctl sysctl;
  private final Systemd systemd;
  private final AppInstaller apps;
  private final UnitRemover units;
  private final PlanChecks checks;
  private final SealedFiles sealed;

  /** An applier for files and sysctl only (no systemd bus). */
  public Applier(HostFiles files, Sysctl sysctl) {
    this(files, sysctl, null, null);
  }

  /** An applier for everything; {@code systemd} and {@code apps} null when no bus is configured. */
  public Applier(HostFiles files, Sysctl sysctl, Systemd systemd, AppInstaller apps) {
    this(files, sysctl, systemd, apps, null);
  }

  /** As above, opening sealed files with {@code sealed}; null refuses them. */
  public Applier(HostFiles files, Sysctl sysctl, Systemd systemd, AppInstaller apps, SealedFiles sealed) {
    this.sealed = sealed;
    this.files = files;
    this.sysctl = sysctl;
    this.systemd = systemd;
    this.apps = apps;
    this.units = new UnitRemover(files, systemd);
    this.checks = new PlanChecks(files, sysctl, systemd, apps);
  }

  /**
   * Applies {@code plan}.
   *
   * @return one result per change, in plan order
   */
  public ApplyResult apply(Plan plan) {
    return apply(plan, precheck(plan));
  }

  /**
   * Applies {@code plan}, which {@link #precheck} has checked (the checks are not made again).
   *
   * @param checked {@code precheck(plan)}
   * @return one result per change, in plan order
   * @throws IllegalArgumentException when {@code checked} is of another plan
   */
  public ApplyResult apply(Plan plan, Precheck checked) {
    if (checked.plan() != plan) {
      throw new IllegalArgumentException("apply plan: checked is of another plan");
    }
    var changes = plan.changes();
    if (checked.refused()) {
      return failedAt(changes, checked.index(), checked.message());
    }
    int lastUnitFileRemoval = lastIndex(changes, Applier::removesUnitFile);
    var results = new ArrayList<ChangeResult>();
    var removedUnitFile = false;
    for (int i = 0; i < changes.size(); i++) {
      var change = changes.get(i);
      try {
        var outcome = applyOne(change);
        removedUnitFile |= outcome != Outcome.UNCHANGED && removesUnitFile(change);
        if (i == lastUnitFileRemoval && removedUnitFile) {
          removedUnitFile = false;
          systemd.reload();
        }
        results.add(ChangeResult.of(change, outcome));
      } catch (IOException e) {
        reloadAfterFailure(removedUnitFile);
        results.add(ChangeResult.failed(change, e.getMessage()));
        changes.subList(i + 1, changes.size()).forEach(c -> results.add(ChangeResult.of(c, Outcome.SKIPPED)));
        break;
      }
    }
    return new ApplyResult(results);
  }

  /**
   * Whether the host takes {@code plan} as a whole: the checks made before anything is written ({@link PlanChecks}).
   * Reads the host, writes nothing; the agent asks it of a new bundle's plan, so a bundle the host cannot take
   * never becomes current, and passes the result to {@link #apply(Plan, Precheck)}.
   */
  public Precheck precheck(Plan plan) {
    return checks.check(plan);
  }

  /**
   * Whether {@code change} may disable a unit or delete a unit file (systemd is reloaded after the plan's last one
   * that did): a unit file removal, an app removal that stops its unit, an app move that retires its old unit.
   */
  private static boolean removesUnitFile(Change change) {
    return switch (change) {
      case DeleteUnitFile d -> true;
      case RemoveApp r -> r.stopUnit();
      case AppChange a -> a.previousUnit() != null && (a.previousUnit().stop() || a.previousUnit().deleteUnitFile());
      default -> false;
    };
  }

  /** After a failure, systemd still reads the unit files removed before it (the next pass does not remove them). */
  private void reloadAfterFailure(boolean removedUnitFile) {
    if (removedUnitFile) {
      try {
        systemd.reload();
      } catch (IOException ignored) {
        // the failure already reported is the first one; the next removal or enable reloads again
      }
    }
  }

  private Outcome applyOne(Change change) throws IOException {
    return switch (change) {
      case WriteFile w -> writeFile(w);
      case WriteSealedFile w -> writeSealedFile(w);
      case DeleteFile d -> deleteFile(d);
      case SetSysctl s -> setSysctl(s);
      case PersistSysctl p -> sysctl.persist(p.values());
      case WriteUnitFile w -> writeUnitFile(w);
      case EnableUnit e -> {
        systemd.enable(e.unit(), e.enable());
        systemd.reload();
        yield Outcome.UPDATED;
      }
      case StartUnit s -> {
        if (s.restart()) {
          systemd.restart(s.unit());
        } else {
          systemd.start(s.unit());
        }
        yield Outcome.UPDATED;
      }
      case StopUnit s -> {
        systemd.stop(s.unit());
        yield Outcome.UPDATED;
      }
      case DeleteUnitFile d -> deleteUnitFile(d);
      case InstallApp i -> apps.install(i);
      case SwitchApp s -> apps.switchTo(s);
      case ReconfigureApp r -> apps.reconfigure(r);
      case RemoveApp r -> apps.remove(r);
    };
  }

  private Outcome writeUnitFile(WriteUnitFile change) throws IOException {
    var content = change.content().getBytes(StandardCharsets.UTF_8);
    var before = files.observe(change.path());
    if (before.exists() && !before.symlink() && Digest.sha256(content).toString().equals(before.sha256())) {
      return Outcome.UNCHANGED;
    }
    files.write(change.path(), content, "0644", null, null);
    systemd.reload();
    return before.exists() ? Outcome.UPDATED : Outcome.CREATED;
  }

  /** Stops and disables the unit (unless still declared) and deletes its file; the reload comes after the last. */
  private Outcome deleteUnitFile(DeleteUnitFile change) throws IOException {
    if (!files.observe(change.path()).exists()) {
      return Outcome.UNCHANGED;
    }
    units.remove(change.unit(), !change.declared(), true);
    return Outcome.DELETED;
  }

  private Outcome writeFile(WriteFile change) throws IOException {
    var before = files.observe(change.path(), change.owner(), change.group());
    if (change.satisfiedBy(before)) {
      return Outcome.UNCHANGED;
    }
    files.write(change.path(), change.content(), change.mode(), change.owner(), change.group());
    return before.exists() ? Outcome.UPDATED : Outcome.CREATED;
  }

  /** Opens the value only now, writes it and forgets it; a value that does not open fails the change, unwritten. */
  private Outcome writeSealedFile(WriteSealedFile change) throws IOException {
    if (sealed == null) {
      throw new IOException("write file '" + change.path() + "': sealed secret '" + change.secret()
          + "' needs the device key; this agent has none");
    }
    var before = files.observe(change.path(), change.owner(), change.group());
    var content = sealed.open(change);
    try {
      files.write(change.path(), content, change.mode(), change.owner(), change.group());
      sealed.wrote(change, Digest.sha256(content));
    } finally {
      java.util.Arrays.fill(content, (byte) 0);
    }
    return before.exists() ? Outcome.UPDATED : Outcome.CREATED;
  }

  private Outcome deleteFile(DeleteFile change) throws IOException {
    if (!files.observe(change.path()).exists()) {
      return Outcome.UNCHANGED;
    }
    files.delete(change.path());
    return Outcome.DELETED;
  }

  private Outcome setSysctl(SetSysctl change) throws IOException {
    var current = sysctl.read(change.key()).map(SetSysctl::normalise);
    if (current.isPresent() && current.get().equals(SetSysctl.normalise(change.to()))) {
      return Outcome.UNCHANGED;
    }
    sysctl.write(change.key(), change.to());
    return Outcome.UPDATED;
  }

  private static int lastIndex(List<Change> changes, Predicate<Change> matches) {
    for (int i = changes.size() - 1; i >= 0; i--) {
      if (matches.test(changes.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static ApplyResult failedAt(List<Change> changes, int index, String error) {
    var results = new ArrayList<ChangeResult>();
    for (int i = 0; i < changes.size(); i++) {
      results.add(i == index ? ChangeResult.failed(changes.get(i), error)
          : ChangeResult.of(changes.get(i), Outcome.SKIPPED));
    }
    return new ApplyResult(results);
  }
}
