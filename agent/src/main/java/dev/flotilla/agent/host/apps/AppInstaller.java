package dev.flotilla.agent.host.apps;

import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.systemd.Systemd;
import dev.flotilla.agent.host.systemd.UnitRemover;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.AppSpec;
import dev.flotilla.plan.AppUnit;
import dev.flotilla.plan.InstallApp;
import dev.flotilla.plan.PreviousUnit;
import dev.flotilla.plan.ReconfigureApp;
import dev.flotilla.plan.RemoveApp;
import dev.flotilla.plan.SwitchApp;
import dev.flotilla.plan.WriteUnitFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * Installs and switches app versions ({@link InstallApp}, {@link SwitchApp}). An artifact is downloaded to a
 * scratch file and unpacked only after its signed sha256 and size check out; a version directory appears (by
 * rename) only complete. A switch writes the app's unit when it changed, points {@code current} at the version,
 * restarts the unit and runs the health check; when that fails it records the version as failed, switches back
 * to the previous version and restarts it, and throws. A reconfigure ({@link ReconfigureApp}) does the same for a
 * changed unit at an unchanged version, going back to the previous unit file. Either moves an app whose unit name
 * changed from its old unit to the new one, going back to the old unit when the new one is not healthy. Old versions
 * beyond {@code keepVersions} are deleted after a healthy switch. An app no longer declared is removed ({@link
 * RemoveApp}).
 */
public final class AppInstaller {
  private final AppStore store;
  private final ArtifactDownload download;
  private final HostFiles files;
  private final Systemd systemd;
  private final HealthProbe health;
  private final UnitRemover units;

  public AppInstaller(AppStore store, ArtifactSource source, HostFiles files, Systemd systemd) {
    this.store = store;
    this.download = new ArtifactDownload(source);
    this.files = files;
    this.systemd = systemd;
    this.health = new HealthProbe(systemd);
    this.units = new UnitRemover(files, systemd);
  }

  /** Why {@code change} cannot be installed at all, or null; writes nothing. */
  public static String precheck(InstallApp change) {
    if (change.version().equals("current")) {
      return "install app '" + change.app() + "' current: 'current' names the running version's link, not a"
          + " version; give the artifact another version";
    }
    if (change.artifact() == null) {
      return "install app '" + change.app() + "' " + change.version() + ": the bundle lists no artifact for it;"
          + " check the app's 'artifact' and 'version' in the policy";
    }
    return null;
  }

  /** Downloads, verifies and unpacks the version; UNCHANGED when it is installed already. */
  public Outcome install(InstallApp change) throws IOException {
    var target = store.version(change.app(), change.version());
    if (Files.isDirectory(target)) {
      return Outcome.UNCHANGED;
    }
    var action = "install app '" + change.app() + "' " + change.version();
    var artifact = change.artifact();
    var downloaded = store.scratch(change.app(), "download-" + change.version());
    var unpacked = store.scratch(change.app(), "unpack-" + change.version());
    try {
      download.fetch(artifact, downloaded);
      AppStore.deleteTree(unpacked);
      Files.createDirectories(unpacked);
      if (artifact.tarball()) {
        Tarball.unpack(downloaded, unpacked);
      } else {
        var binary = unpacked.resolve(artifact.name());
        Files.move(downloaded, binary);
        Files.setPosixFilePermissions(binary, Tarball.permissions(0755));
      }
      Files.move(unpacked, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
      return Outcome.CREATED;
    } catch (IOException e) {
      AppStore.deleteTree(unpacked);
      throw new IOException(action + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(downloaded);
    }
  }

  /**
   * Switches to the declared version and checks its health; rolls back and throws when it is not healthy. When the
   * app moves to another unit, the old one is stopped first and retired once the new one is healthy; a rollback
   * starts the old one again. A rollback puts the unit file back as it was (the new version's unit may differ).
   */
  public Outcome switchTo(SwitchApp change) throws IOException {
    var spec = change.spec();
    var unit = SwitchApp.unitOf(spec);
    var action = "switch app '" + spec.getName() + "' to " + spec.getVersion();
    var before = unitText(unit);
    writeUnit(unit, unitContent(spec, unit, action));
    store.switchTo(spec.getName(), spec.getVersion());
    var problem = restartInPlaceOf(unit, spec, change.previousUnit());
    if (problem == null) {
      store.clearFailedUnits(spec.getName());
      store.prune(spec.getName(), spec.getKeepVersions() == null ? 2 : spec.getKeepVersions().intValue());
      return change.from() == null ? Outcome.CREATED : Outcome.UPDATED;
    }
    store.markFailed(spec.getName(), spec.getVersion(), problem);
    if (change.from() == null) {
      systemd.stop(unit);
      throw new IOException(action + ": health check failed: " + problem + "; stopped it (no earlier version)");
    }
    store.switchTo(spec.getName(), change.from());
    if (change.previousUnit() != null) {
      backTo(change.previousUnit(), unit, before);
      throw new IOException(action + ": health check failed: " + problem + "; switched back to " + change.from()
          + " under unit '" + change.previousUnit().unit() + "'");
    }
    writeUnit(unit, before);
    systemd.restart(unit);
    throw new IOException(action + ": health check failed: " + problem + "; switched back to " + change.from());
  }

  /**
   * Rewrites the unit of the running version, restarts it and checks its health; when it is not healthy, puts the
   * previous unit file back, restarts it, records the change as failed ({@link ReconfigureApp#failureKey()}) and
   * throws. When the app moves to another unit, the old one is stopped first and retired once the new one is
   * healthy; when the new one is not, it is stopped, its file put back as it was and the old one started again.
   */
  public Outcome reconfigure(ReconfigureApp change) throws IOException {
    var spec = change.spec();
    var unit = SwitchApp.unitOf(spec);
    var action = "reconfigure app '" + spec.getName() + "' " + spec.getVersion();
    var content = unitContent(spec, unit, action);
    var previous = unitText(unit);
    writeUnit(unit, content);
    var problem = restartInPlaceOf(unit, spec, change.previousUnit());
    if (problem == null) {
      return Outcome.UPDATED;
    }
    store.markUnitFailed(spec.getName(), change.failureKey(), problem);
    if (change.previousUnit() != null) {
      backTo(change.previousUnit(), unit, previous);
      throw new IOException(action + ": health check failed: " + problem + "; went back to unit '"
          + change.previousUnit().unit() + "'");
    }
    if (previous == null) {
      systemd.stop(unit);
      throw new IOException(action + ": health check failed: " + problem + "; stopped it (no earlier unit file)");
    }
    writeUnit(unit, previous);
    systemd.restart(unit);
    throw new IOException(action + ": health check failed: " + problem + "; went back to the previous unit file");
  }

  /**
   * Removes an app no longer declared: stops its unit when active and disables it when enabled (if {@link
   * RemoveApp#stopUnit()}), deletes its unit file (if {@link RemoveApp#deleteUnitFile()}) and its directory. Does not
   * reload systemd (the applier does, once). Idempotent: UNCHANGED when nothing was left.
   */
  public Outcome remove(RemoveApp change) throws IOException {
    var changed = units.remove(change.unit(), change.stopUnit(), change.deleteUnitFile());
    changed |= store.remove(change.app());
    return changed ? Outcome.DELETED : Outcome.UNCHANGED;
  }

  /**
   * Restarts {@code unit} and checks its health; when the app moves from {@code previous}, stops that first (two
   * units would run the same program) and, once {@code unit} is healthy, disables it and deletes its unit file
   * (the applier reloads systemd once). Returns why {@code unit} is not healthy, or null; for a move, a restart
   * systemd refuses is such a reason too, so the caller goes back to the stopped old unit.
   */
  private String restartInPlaceOf(String unit, AppSpec spec, PreviousUnit previous) throws IOException {
    if (previous != null && previous.stop() && systemd.unit(previous.unit()).active()) {
      systemd.stop(previous.unit());
    }
    try {
      systemd.restart(unit);
    } catch (IOException e) {
      if (previous == null) {
        throw e;
      }
      return e.getMessage();
    }
    var problem = healthProblem(unit, spec);
    if (problem == null && previous != null) {
      units.remove(previous.unit(), previous.stop(), previous.deleteUnitFile());
    }
    return problem;
  }

  /**
   * Goes back from a new unit that failed its health check to the {@code previous} one: stops the new unit, puts its
   * unit file back as it was {@code before} (deletes it when there was none) and starts the previous unit again
   * (when the move stopped it).
   */
  private void backTo(PreviousUnit previous, String unit, String before) throws IOException {
    systemd.stop(unit);
    var file = files.observe(WriteUnitFile.pathOf(unit));
    if (before != null) {
      writeUnit(unit, before);
    } else if (file.exists() && !file.symlink()) {
      files.delete(file.path());
      systemd.reload();
    }
    if (previous.stop()) {
      systemd.restart(previous.unit());
    }
  }

  /** The unit file's text as it is now, or null when there is none (or it is not a plain file). */
  private String unitText(String unit) throws IOException {
    var path = files.resolve(WriteUnitFile.pathOf(unit), "write unit file");
    return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? Files.readString(path) : null;
  }

  /** Why the freshly restarted unit is not healthy, or null when it is. */
  private String healthProblem(String unit, AppSpec spec) throws IOException {
    try {
      return health.check(unit, spec.getHealthCheck()).orElse(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted during the health check";
    }
  }

  /**
   * The unit file the app runs with at its declared version: the one the version ships, else one generated from its
   * command; null when the app names a unit the device has already.
   */
  private String unitContent(AppSpec spec, String unit, String action) throws IOException {
    var shipped = store.version(spec.getName(), spec.getVersion()).resolve(unit);
    if (spec.getUnit() != null && Files.isRegularFile(shipped, LinkOption.NOFOLLOW_LINKS)) {
      return Files.readString(shipped);
    } else if (spec.getCommand() != null && !spec.getCommand().isEmpty()) {
      return AppUnit.generate(spec, store.deviceCurrent(spec.getName()));
    } else if (spec.getUnit() != null) {
      return null;
    }
    throw new IOException(action + ": the app declares no 'command' and ships no unit; add a 'command'");
  }

  /** Writes the unit file when it differs and reloads systemd; nothing for a null content. */
  private void writeUnit(String unit, String content) throws IOException {
    if (content == null) {
      return;
    }
    var path = WriteUnitFile.pathOf(unit);
    var bytes = content.getBytes(StandardCharsets.UTF_8);
    var observed = files.observe(path);
    if (!observed.exists() || !Digest.sha256(bytes).toString().equals(observed.sha256())) {
      files.write(path, bytes, "0644", null, null);
      systemd.reload();
    }
  }
}
