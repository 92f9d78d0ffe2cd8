package dev.flotilla.preview;

import dev.flotilla.model.AppSpec;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.plan.AppChange;
import dev.flotilla.plan.AppliedState;
import dev.flotilla.plan.Change;
import dev.flotilla.plan.InstallApp;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.Planner;
import dev.flotilla.plan.Schedule;
import dev.flotilla.plan.SetSysctl;
import dev.flotilla.plan.SwitchApp;
import dev.flotilla.render.RolloutVersions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changes on each device between two renders of the fleet: the agent's {@link Planner} applied to the head
 * render, with the base render as the observed host ({@link AppliedState}) and the base's inventory, so {@code
 * flotilla plan} prints the very lines {@code flotilla-agent plan} prints. A device that appears is planned against
 * an empty host; one that disappears gets no bundle any more. Pure; devices in name order, changes in plan order.
 *
 * @param devices every device with at least one change
 * @param total how many devices the head render has
 */
public record FleetPlan(List<DevicePlan> devices, int total) {

  public FleetPlan {
    devices = List.copyOf(devices);
  }

  /** One device's changes. */
  public record DevicePlan(String device, String tenant, List<PlannedChange> changes) {
    public DevicePlan {
      changes = List.copyOf(changes);
    }
  }

  /**
   * One change as plan output shows it.
   *
   * @param kind {@code device}, {@code file}, {@code sysctl}, {@code unit} or {@code app}
   * @param key the resource's name: a path, a sysctl key, a unit or an app (the device's name for {@code device})
   * @param from the value before, where the change has one (a sysctl value, an app version), else null
   * @param to the value after, where the change has one, else null
   * @param line the change's line, as the agent prints it
   * @param reportOnly whether the resource is in drift mode {@code report}
   * @param rollout the rollout that gives an app this version, or null
   * @param wave the rollout's wave the device is in, or null
   * @param held the note of a change that waits for a maintenance window ({@code held until Tue 02:00 CET}), or null
   */
  public record PlannedChange(String kind, String key, String from, String to, String line, boolean reportOnly,
      String rollout, String wave, String held) {

    /** A change that nothing holds. */
    public PlannedChange(String kind, String key, String from, String to, String line, boolean reportOnly,
        String rollout, String wave) {
      this(kind, key, from, to, line, reportOnly, rollout, wave, null);
    }

    /**
     * The line with its notes, in the agent's order: {@code [report]}, {@code [held until Tue 02:00 CET]}, {@code
     * [rollout pos-1.2, wave canary]}.
     */
    public String text() {
      return line + (reportOnly ? " [report]" : "") + (held == null ? "" : " [" + held + "]")
          + (rollout == null ? "" : " [rollout " + rollout + ", wave " + wave + "]");
    }
  }

  /** The plan from {@code base} (what devices run) to {@code head}, with no change held for a window. */
  public static FleetPlan of(FleetRender base, FleetRender head) {
    return of(base, head, null);
  }

  /**
   * The plan from {@code base} (what devices run) to {@code head} if it reached the devices at {@code at}: changes
   * outside their maintenance windows are held as the agent would hold them. Null {@code at}: none is held.
   */
  public static FleetPlan of(FleetRender base, FleetRender head, Instant at) {
    var names = new TreeSet<>(base.devices().keySet());
    names.addAll(head.devices().keySet());
    var devices = new ArrayList<DevicePlan>();
    for (var name : names) {
      var before = base.devices().get(name);
      var after = head.devices().get(name);
      var changes = new ArrayList<PlannedChange>();
      if (after == null) {
        changes.add(new PlannedChange("device", name, null, null, "- device (no bundle any more)", false, null, null));
      } else {
        if (before == null) {
          changes.add(new PlannedChange("device", name, null, null, "+ device (new bundle)", false, null, null));
        }
        changes.addAll(changes(before == null ? null : before.payload(), after.payload(), head.versions(), at));
      }
      if (!changes.isEmpty()) {
        devices.add(new DevicePlan(name, (after != null ? after : before).tenant(), changes));
      }
    }
    return new FleetPlan(devices, head.devices().size());
  }

  /** The agent's plan for {@code head} on a device that applied {@code base} (null: an empty host). */
  public static Plan plan(BundlePayload base, BundlePayload head) {
    return plan(base, head, null);
  }

  /** {@link #plan(BundlePayload, BundlePayload)} at {@code at}, holding as the agent would; null: no holds. */
  public static Plan plan(BundlePayload base, BundlePayload head, Instant at) {
    var applied = base == null ? null : base.getState();
    return Planner.plan(head.getState(), head.getDriftModes(), head.getArtifacts(), AppliedState.of(applied),
        AppliedState.inventory(applied), at == null ? Schedule.ALWAYS : Schedule.of(head, at));
  }

  private static List<PlannedChange> changes(BundlePayload base, BundlePayload head, RolloutVersions versions,
      Instant at) {
    var plan = plan(base, head, at);
    return plan.changes().stream().map(change -> {
      var given = change instanceof AppChange app ? givenBy(head, app, versions) : null;
      var held = plan.isHeld(change) ? plan.held().get(change.resourceKey()).note() : null;
      return new PlannedChange(change.kind(), change.name(), from(change), to(change), change.line(),
          plan.isReportOnly(change), given == null ? null : given.rollout(), given == null ? null : given.wave(),
          held);
    }).toList();
  }

  /** The rollout that gives the version an app change installs or switches to, or null. */
  private static RolloutVersions.Given givenBy(BundlePayload head, AppChange change, RolloutVersions versions) {
    var version = to(change);
    var spec = head.getState().getApps().stream().filter(a -> change.app().equals(a.getName())).findFirst();
    var given = spec.map(AppSpec::getArtifact).map(a -> versions.given(head.getDevice(), a)).orElse(null);
    return given != null && version != null && Objects.equals(given.version(), version) ? given : null;
  }

  private static String from(Change change) {
    return switch (change) {
      case SetSysctl sysctl -> sysctl.from();
      case SwitchApp app -> app.from();
      default -> null;
    };
  }

  private static String to(Change change) {
    return switch (change) {
      case SetSysctl sysctl -> sysctl.to();
      case SwitchApp app -> app.spec().getVersion();
      case InstallApp app -> app.version();
      default -> null;
    };
  }
}
