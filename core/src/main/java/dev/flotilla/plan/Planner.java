package dev.flotilla.plan;

import dev.flotilla.digest.Digest;
import dev.flotilla.model.BundleArtifact;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.DriftMode;
import dev.flotilla.model.FileSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Computes the {@link Plan} that takes the observed host to the desired state.
 *
 * <p>Pure: no I/O, clock or logging, and no exception for any input; the same values give the same plan. Rules:
 * <ul>
 *   <li>Files: content (UTF-8), mode ({@code 0644} when omitted), owner and group (left as they are when omitted)
 *       are compared; anything that differs at the path becomes one {@link WriteFile}. Files declared with an
 *       {@code artifact} instead of content are not handled yet and are skipped (but still count as declared).
 *       A file whose declared sha256 does not match its content is planned as a change that the applier refuses.
 *   <li>Sysctl: values are compared with whitespace normalised ({@link SetSysctl#normalise}). The agent's
 *       sysctl.d file ({@link PersistSysctl#PATH}) must hold every declared value, whatever the live ones: when it
 *       is missing or differs (content, mode, a symlink) a {@link PersistSysctl} rewrites it; when no key is
 *       declared any more and the inventory owns keys, it deletes it.
 *   <li>Units and apps: see {@link UnitPlanner}; without a systemd bus ({@link ObservedState#systemd()} false)
 *       they are not planned at all.
 *   <li>Sealed files (a {@code secret} with its {@code sealed} value): never opened here. The file is unchanged
 *       only when the host's content has the {@code sha256} the agent recorded when it last wrote this very
 *       ciphertext (it sets it; bundles never carry one; else {@link WriteSealedFile#standIn}) and mode ({@code 0600} when omitted), owner and group
 *       match; otherwise one {@link WriteSealedFile}, printed {@code <sealed NAME, changed>}.
 *   <li>Prune by inventory: a file is deleted only when the inventory says the agent wrote it and no file
 *       declares it any more; unit files and apps likewise (see {@link UnitPlanner}). Sysctl keys no longer
 *       declared keep their value (the old one is not known).
 *   <li>Drift modes: a file's own {@code drift} field wins, then {@code driftModes} (keys {@code file:<path>},
 *       {@code sysctl:<key>}), then {@code enforce}. {@code ignore}: created when missing the first time, then left
 *       alone (a file once it exists or is owned, a key once owned). {@code report}: the change is planned and listed
 *       in {@link Plan#reportOnlyKeys()}. {@code enforce-always} is {@code enforce} that no maintenance window holds.
 *   <li>Maintenance windows: with a {@link Schedule}, disruptive changes wait for a window ({@link Holds}).
 * </ul>
 */
public final class Planner {
  /** The mode of a file that declares none. */
  public static final String DEFAULT_MODE = "0644";

  private Planner() {
  }

  /**
   * The plan for {@code desired} against {@code observed}.
   *
   * @param driftModes drift mode per resource key; null means all {@code enforce}
   * @param observed every declared and owned path and key, as read from the host
   * @param inventory what earlier applied bundles wrote
   */
  public static Plan plan(DesiredState desired, Map<String, DriftMode> driftModes, ObservedState observed,
      Inventory inventory) {
    return plan(desired, driftModes, List.of(), observed, inventory);
  }

  /**
   * The plan for {@code desired} against {@code observed}, with the artifacts the signed bundle lists (which apps
   * are installed from).
   *
   * @param artifacts the bundle's artifacts; null counts as none
   */
  public static Plan plan(DesiredState desired, Map<String, DriftMode> driftModes, List<BundleArtifact> artifacts,
      ObservedState observed, Inventory inventory) {
    var modes = driftModes == null ? Map.<String, DriftMode>of() : driftModes;
    var seen = observed == null ? ObservedState.EMPTY : observed;
    var owned = inventory == null ? Inventory.EMPTY : inventory;
    var files = declaredFiles(desired);
    return concat(Stream.of(
        concat(files.values().stream().map(spec -> {
          var mode = modeOf(spec.getDrift(), modes.get("file:" + spec.getPath()));
          return of(mode, fileChange(spec, seen.file(spec.getPath()), mode, owned).stream().toList());
        })),
        UnitPlanner.unitChanges(desired, modes, seen),
        sysctlChanges(desired, modes, seen, owned),
        new Plan(sysctlFileChange(desired, seen, owned).stream().toList()),
        UnitPlanner.appChanges(desired, modes, artifacts == null ? List.of() : artifacts, seen, owned),
        UnitPlanner.unitFileRemovals(desired, seen, owned),
        UnitPlanner.appRemovals(desired, modes, seen, owned),
        new Plan(owned.files().stream().filter(path -> !files.containsKey(path) && seen.file(path).exists())
            .<Change>map(DeleteFile::new).toList())));
  }

  /**
   * The plan for {@code desired} against {@code observed} at {@code schedule}'s instant: disruptive changes outside
   * its maintenance windows are held ({@link Plan#held()}; see {@link Holds}).
   */
  public static Plan plan(DesiredState desired, Map<String, DriftMode> driftModes, List<BundleArtifact> artifacts,
      ObservedState observed, Inventory inventory, Schedule schedule) {
    return Holds.hold(plan(desired, driftModes, artifacts, observed, inventory), desired, driftModes, schedule);
  }

  /** A plan of {@code changes}, each to a resource in drift mode {@code mode}. */
  static Plan of(DriftMode mode, List<Change> changes) {
    return new Plan(changes, mode == DriftMode.REPORT
        ? changes.stream().map(Change::resourceKey).collect(Collectors.toSet()) : Set.of());
  }

  /** The plans' changes one after the other, with their report-only keys. */
  static Plan concat(Stream<Plan> plans) {
    var all = plans.toList();
    return new Plan(all.stream().flatMap(p -> p.changes().stream()).toList(),
        all.stream().flatMap(p -> p.reportOnlyKeys().stream()).collect(Collectors.toSet()));
  }

  /** A mode as four octal digits: {@code "644"} and {@code "0644"} are the same mode; null is the default. */
  public static String normaliseMode(String mode) {
    if (mode == null) {
      return DEFAULT_MODE;
    }
    return mode.length() == 3 ? "0" + mode : mode;
  }

  /** Every declared file by path (artifact-backed ones included), sorted. */
  private static Map<String, FileSpec> declaredFiles(DesiredState desired) {
    var files = new TreeMap<String, FileSpec>();
    if (desired != null && desired.getFiles() != null) {
      desired.getFiles().stream().filter(f -> f != null && f.getPath() != null).forEach(f -> files.put(f.getPath(), f));
    }
    return files;
  }

  private static Optional<Change> fileChange(FileSpec spec, ObservedFile observed, DriftMode mode, Inventory owned) {
    var path = spec.getPath();
    if (spec.getSealed() != null && spec.getSecret() != null
        && !(mode == DriftMode.IGNORE && (observed.exists() || owned.files().contains(path)))) {
      return sealedChange(spec, observed);
    }
    if (spec.getContent() == null
        || (mode == DriftMode.IGNORE && (observed.exists() || owned.files().contains(path)))) {
      return Optional.empty();
    }
    var content = spec.getContent().getBytes(StandardCharsets.UTF_8);
    var actual = Digest.sha256(content).toString();
    var expected = spec.getSha256() == null ? actual : spec.getSha256();
    var fileMode = normaliseMode(spec.getMode());
    if (!observed.exists()) {
      return Optional.of(new WriteFile(path, content, expected, fileMode, spec.getOwner(), spec.getGroup(),
          WriteFile.Action.CREATE, "not present"));
    }
    var reasons = differences(spec, observed, actual, expected, fileMode);
    return reasons.isEmpty() ? Optional.empty()
        : Optional.of(new WriteFile(path, content, expected, fileMode, spec.getOwner(), spec.getGroup(),
            WriteFile.Action.UPDATE, String.join(", ", reasons)));
  }

  /**
   * A file whose content is sealed: it differs unless {@code spec.sha256} (which the agent sets from what it
   * wrote last for this very ciphertext, never the bundle) is what the host has.
   */
  private static Optional<Change> sealedChange(FileSpec spec, ObservedFile observed) {
    var fileMode = spec.getMode() == null ? WriteSealedFile.DEFAULT_MODE : normaliseMode(spec.getMode());
    if (!observed.exists()) {
      return Optional.of(new WriteSealedFile(spec.getPath(), spec.getSecret(), spec.getSealed(), fileMode,
          spec.getOwner(), spec.getGroup(), WriteFile.Action.CREATE, "not present"));
    }
    var known = spec.getSha256() == null ? WriteSealedFile.standIn(spec.getSealed()) : spec.getSha256();
    var reasons = new ArrayList<>(differences(spec, observed, known, known, fileMode));
    reasons.replaceAll(reason -> reason.equals("content") ? WriteSealedFile.changed(spec.getSecret()) : reason);
    return reasons.isEmpty() ? Optional.empty()
        : Optional.of(new WriteSealedFile(spec.getPath(), spec.getSecret(), spec.getSealed(), fileMode,
            spec.getOwner(), spec.getGroup(), WriteFile.Action.UPDATE, String.join(", ", reasons)));
  }

  private static List<String> differences(FileSpec spec, ObservedFile observed, String actual, String expected,
      String fileMode) {
    if (observed.symlink()) {
      return List.of("symlink");
    }
    var reasons = new ArrayList<String>();
    if (!actual.equals(expected)) {
      reasons.add("content does not match its declared sha256");
    } else if (!actual.equals(observed.sha256())) {
      reasons.add("content");
    }
    if (!fileMode.equals(observed.mode())) {
      reasons.add("mode " + observed.mode() + " -> " + fileMode);
    }
    if (spec.getOwner() != null && !spec.getOwner().equals(observed.owner())) {
      reasons.add("owner " + observed.owner() + " -> " + spec.getOwner());
    }
    if (spec.getGroup() != null && !spec.getGroup().equals(observed.group())) {
      reasons.add("group " + observed.group() + " -> " + spec.getGroup());
    }
    return reasons;
  }

  private static Plan sysctlChanges(DesiredState desired, Map<String, DriftMode> modes, ObservedState seen,
      Inventory owned) {
    if (desired == null || desired.getSysctl() == null) {
      return Plan.EMPTY;
    }
    return concat(new TreeMap<>(desired.getSysctl()).entrySet().stream().map(entry -> {
      var key = entry.getKey();
      var mode = modeOf(null, modes.get("sysctl:" + key));
      var want = SetSysctl.normalise(entry.getValue());
      var have = SetSysctl.normalise(seen.sysctl().get(key));
      return want == null || want.equals(have) || (mode == DriftMode.IGNORE && owned.sysctlKeys().contains(key))
          ? Plan.EMPTY : of(mode, List.of(new SetSysctl(key, have, want)));
    }));
  }

  /** The change that makes the agent's sysctl.d file hold the declared values, or empty when it does. */
  private static Optional<Change> sysctlFileChange(DesiredState desired, ObservedState seen,
      Inventory owned) {
    var values = new TreeMap<String, String>();
    if (desired != null && desired.getSysctl() != null) {
      desired.getSysctl().forEach((key, value) -> {
        if (key != null && value != null) {
          values.put(key, value);
        }
      });
    }
    var file = seen.file(PersistSysctl.PATH);
    if (values.isEmpty()) {
      return file.exists() && !owned.sysctlKeys().isEmpty()
          ? Optional.of(new PersistSysctl(Map.of(), "no sysctl declared any more")) : Optional.empty();
    }
    if (!file.exists()) {
      return Optional.of(new PersistSysctl(values, "not present"));
    }
    if (file.symlink()) {
      return Optional.of(new PersistSysctl(values, "symlink"));
    }
    var reasons = new ArrayList<String>();
    if (!Digest.sha256(PersistSysctl.content(values)).toString().equals(file.sha256())) {
      reasons.add("content");
    }
    if (!PersistSysctl.MODE.equals(file.mode())) {
      reasons.add("mode " + file.mode() + " -> " + PersistSysctl.MODE);
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(new PersistSysctl(values, String.join(", ", reasons)));
  }

  static DriftMode modeOf(DriftMode own, DriftMode fromBundle) {
    if (own != null) {
      return own;
    }
    return fromBundle == null ? DriftMode.ENFORCE : fromBundle;
  }
}
