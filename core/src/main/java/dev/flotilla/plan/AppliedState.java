package dev.flotilla.plan;

import dev.flotilla.digest.Digest;
import dev.flotilla.model.AppSpec;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.FileSpec;
import dev.flotilla.model.ServiceSpec;
import dev.flotilla.model.UnitState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host as applying a desired state leaves it, for planning the next desired state without a host: {@code
 * flotilla plan} plans head against the base render applied ({@link #of}) and owned ({@link #inventory}). Pure.
 *
 * <p>Files with content exist with their content, mode (default {@value Planner#DEFAULT_MODE}), owner and group;
 * sysctl keys hold their values, and the agent's sysctl.d file holds them all; services run (unless declared
 * stopped) with their unit files written, enabled when declared so; each app runs its declared version, from
 * {@link #APP_DIR}, under its unit, with its generated unit file written. Planning a desired state against itself
 * applied gives an empty plan (except files whose declared sha256 does not match their content, which never apply).
 */
public final class AppliedState {
  /**
   * The {@code current} directory of an app, as generated unit files name it: a stand-in for the device's real apps
   * directory, the same on both sides of a comparison, so a unit file differs only when the command or environment
   * does.
   */
  public static final String APP_DIR = "/var/lib/flotilla-agent/apps/%s/current";

  private AppliedState() {
  }

  /** What the host looks like once {@code desired} is applied; an empty host for null. */
  public static ObservedState of(DesiredState desired) {
    var files = new TreeMap<String, ObservedFile>();
    var sysctl = new TreeMap<String, String>();
    var units = new TreeMap<String, ObservedUnit>();
    var apps = new TreeMap<String, ObservedApp>();
    if (desired != null) {
      listOf(desired.getFiles()).stream().filter(f -> f != null && f.getContent() != null)
          .forEach(f -> files.put(f.getPath(), file(f)));
      listOf(desired.getFiles()).stream().filter(f -> f != null && f.getSealed() != null && f.getSecret() != null)
          .forEach(f -> files.put(f.getPath(), new ObservedFile(f.getPath(), true,
              f.getSha256() != null ? f.getSha256() : WriteSealedFile.standIn(f.getSealed()), f.getMode() == null ? WriteSealedFile.DEFAULT_MODE
              : Planner.normaliseMode(f.getMode()), f.getOwner(), f.getGroup(), false)));
      if (desired.getSysctl() != null) {
        desired.getSysctl().forEach((key, value) -> {
          if (key != null && value != null) {
            sysctl.put(key, value);
          }
        });
      }
      if (!sysctl.isEmpty()) {
        files.put(PersistSysctl.PATH, written(PersistSysctl.PATH, PersistSysctl.content(sysctl),
            PersistSysctl.MODE));
      }
      listOf(desired.getServices()).stream().filter(s -> s != null && s.getUnit() != null)
          .forEach(s -> service(s, files, units));
      listOf(desired.getApps()).stream().filter(a -> a != null && a.getName() != null && a.getVersion() != null)
          .forEach(a -> app(a, files, units, apps));
    }
    return new ObservedState(files, sysctl, units, apps, true);
  }

  /** What the agent owns once {@code desired} is applied: {@link Inventory#declaredBy}. */
  public static Inventory inventory(DesiredState desired) {
    return Inventory.declaredBy(desired);
  }

  private static ObservedFile file(FileSpec spec) {
    var content = spec.getContent().getBytes(StandardCharsets.UTF_8);
    return new ObservedFile(spec.getPath(), true, Digest.sha256(content).toString(),
        Planner.normaliseMode(spec.getMode()),
        spec.getOwner(), spec.getGroup(), false);
  }

  private static ObservedFile written(String path, byte[] content, String mode) {
    return new ObservedFile(path, true, Digest.sha256(content).toString(), mode, null, null, false);
  }

  private static void service(ServiceSpec spec, Map<String, ObservedFile> files, Map<String, ObservedUnit> units) {
    if (spec.getUnitFile() != null) {
      var path = WriteUnitFile.pathOf(spec.getUnit());
      files.put(path, written(path, spec.getUnitFile().getBytes(StandardCharsets.UTF_8), "0644"));
    }
    var running = spec.getState() != UnitState.STOPPED;
    units.put(spec.getUnit(), unit(spec.getUnit(), running, Boolean.TRUE.equals(spec.getEnabled())));
  }

  private static void app(AppSpec spec, Map<String, ObservedFile> files, Map<String, ObservedUnit> units,
      Map<String, ObservedApp> apps) {
    var dir = APP_DIR.formatted(spec.getName());
    var unit = SwitchApp.unitOf(spec);
    if (spec.getCommand() != null && !spec.getCommand().isEmpty()) {
      var path = WriteUnitFile.pathOf(unit);
      files.put(path, written(path, AppUnit.generate(spec, dir).getBytes(StandardCharsets.UTF_8), "0644"));
    }
    units.putIfAbsent(unit, unit(unit, true, true));
    apps.put(spec.getName(), new ObservedApp(spec.getName(), spec.getVersion(), List.of(spec.getVersion()),
        Map.of(), dir, null, Map.of()));
  }

  private static ObservedUnit unit(String name, boolean running, boolean enabled) {
    return new ObservedUnit(name, "loaded", running ? "active" : "inactive", running ? "running" : "dead",
        enabled ? "enabled" : "disabled", "success", 0, 0, 0);
  }

  private static <T> List<T> listOf(List<T> list) {
    return list == null ? List.of() : list;
  }
}
