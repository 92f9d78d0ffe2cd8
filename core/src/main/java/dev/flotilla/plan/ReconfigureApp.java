package dev.flotilla.plan;

import dev.flotilla.digest.Digest;
import dev.flotilla.model.AppSpec;
import java.nio.charset.StandardCharsets;

/**
 * Rewrites the unit of an app whose version stays but whose unit differs from the declared one (its command or
 * environment changed, or the file was edited), restarts it and runs its health check; on a failed check it puts
 * the previous unit file back, restarts that, and records the new one as failed ({@link #failureKey()}) so it is
 * not written again. When the app's unit name changed, it moves the app from {@code previousUnit} to the new unit
 * (see {@link PreviousUnit}); on a failed check the new unit is stopped, its file put back as it was, and the old
 * unit started again.
 *
 * @param spec the app as declared; its version is the current one
 * @param unitSha256 {@code sha256:<hex>} of the unit file it writes; null when the new unit is one the device has
 *     (only with a {@code previousUnit})
 * @param previousUnit the unit the app ran under, when it declares another one now; else null
 */
public record ReconfigureApp(AppSpec spec, String unitSha256, PreviousUnit previousUnit) implements AppChange {

  /**
   * The sha256 of the unit file the app's current version runs with: the one it ships, else the one generated from
   * its command; null when neither is known (the device has the unit already, or the app directory is not known).
   * Pure.
   */
  public static String unitFor(AppSpec spec, ObservedApp app) {
    if (spec.getUnit() != null && app.shippedUnit() != null) {
      return app.shippedUnit();
    }
    if (spec.getCommand() == null || spec.getCommand().isEmpty() || app.currentDir() == null) {
      return null;
    }
    return Digest.sha256(AppUnit.generate(spec, app.currentDir()).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * What a failed health check records, so the same change is not planned again: the unit file's sha256; for a move
   * to another unit, the sha256 of the new unit's name and that unit file's sha256 (the same file under its old name
   * may still be fine). Pure.
   */
  public String failureKey() {
    if (previousUnit == null) {
      return unitSha256;
    }
    return Digest.sha256(("move to unit " + SwitchApp.unitOf(spec) + " "
        + unitSha256).getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Override
  public String app() {
    return spec.getName();
  }

  @Override
  public String line() {
    return "~ app " + spec.getName() + " " + spec.getVersion() + " ("
        + (previousUnit == null ? "unit changed" : previousUnit.describe(SwitchApp.unitOf(spec))) + ")";
  }

  @Override
  public String toString() {
    return line();
  }
}
