package dev.flotilla.agent.drift;

import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.DesiredState;
import dev.flotilla.plan.Change;
import dev.flotilla.plan.ObservedFile;
import dev.flotilla.plan.ObservedState;
import dev.flotilla.plan.PersistSysctl;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.SetSysctl;
import dev.flotilla.plan.WriteFile;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One resource that differs from the bundle while the bundle is unchanged: what it should be and what it is.
 *
 * @param mode {@code enforce} (the agent corrects it) or {@code report} (it only reports it)
 */
public record Drift(String kind, String name, String mode, String expected, String actual) {

  /** The drifts of a plan made for an unchanged bundle, in plan order. Pure. */
  public static List<Drift> of(Plan plan, ObservedState observed) {
    return plan.changes().stream().map(change -> of(change, plan.isReportOnly(change) ? "report" : "enforce",
        observed)).toList();
  }

  private static Drift of(Change change, String mode, ObservedState observed) {
    if (change instanceof WriteFile write) {
      var want = "sha256 " + write.sha256() + ", mode " + write.mode()
          + (write.owner() == null ? "" : ", owner " + write.owner()) + (write.group() == null ? "" : ", group " + write.group());
      return new Drift("file", write.path(), mode, want, describe(observed.file(write.path())));
    }
    if (change instanceof PersistSysctl persist) {
      var want = persist.deletes() ? "missing"
          : "sha256 " + Digest.sha256(persist.content()) + ", mode " + PersistSysctl.MODE + " (sysctl values for boot)";
      return new Drift("file", persist.path(), mode, want, describe(observed.file(persist.path())));
    }
    if (change instanceof SetSysctl set) {
      return new Drift("sysctl", set.key(), mode, set.to(), set.from() == null ? "(unknown)" : set.from());
    }
    return new Drift(change.kind(), change.name(), mode, "as declared", change.line());
  }

  private static String describe(ObservedFile file) {
    if (!file.exists()) {
      return "missing";
    }
    if (file.symlink()) {
      return "a symlink";
    }
    return "sha256 " + file.sha256() + ", mode " + file.mode() + ", owner " + file.owner() + ", group " + file.group();
  }

  /** The log line: {@code drift file:/etc/motd (enforce): expected …; actual …}. */
  public String line() {
    return "drift " + kind + ":" + name + " (" + mode + "): expected " + expected + "; actual " + actual;
  }

  /**
   * Whether each declared file, sysctl key, unit and app matches the bundle after a pass: a resource is compliant
   * unless the plan changes it and that change did not succeed (reported only, skipped or failed). Pure; keys
   * {@code file:<path>}, {@code sysctl:<key>}, {@code unit:<name>}, {@code app:<name>}.
   */
  public static Map<String, Boolean> compliance(DesiredState desired, Plan plan, ApplyResult applied) {
    var done = new HashSet<String>();
    applied.results().stream().filter(r -> r.wrote() || r.outcome() == Outcome.UNCHANGED)
        .forEach(r -> done.add(r.change().resourceKey()));
    var differs = new HashSet<String>();
    plan.changes().stream().map(Change::resourceKey).filter(k -> !done.contains(k)).forEach(differs::add);
    var out = new TreeMap<String, Boolean>();
    if (desired != null && desired.getFiles() != null) {
      desired.getFiles().forEach(f -> out.put("file:" + f.getPath(), !differs.contains("file:" + f.getPath())));
    }
    if (desired != null && desired.getSysctl() != null) {
      desired.getSysctl().keySet().forEach(k -> out.put("sysctl:" + k, !differs.contains("sysctl:" + k)));
    }
    if (desired != null && desired.getServices() != null) {
      desired.getServices().forEach(u -> out.put("unit:" + u.getUnit(), !differs.contains("unit:" + u.getUnit())));
    }
    if (desired != null && desired.getApps() != null) {
      desired.getApps().forEach(a -> out.put("app:" + a.getName(), !differs.contains("app:" + a.getName())));
    }
    return out;
  }

  /**
   * The version each declared app runs after a pass: the declared one when it is compliant, else the one observed
   * before the pass (a failed switch rolls back to it); apps with none are left out. Pure.
   */
  public static Map<String, String> appVersions(DesiredState desired, ObservedState observed,
      Map<String, Boolean> compliance) {
    var out = new TreeMap<String, String>();
    if (desired != null && desired.getApps() != null) {
      for (var app : desired.getApps()) {
        var version = Boolean.TRUE.equals(compliance.get("app:" + app.getName())) ? app.getVersion()
            : observed.app(app.getName()).current();
        if (version != null) {
          out.put(app.getName(), version);
        }
      }
    }
    return out;
  }
}
