package dev.flotilla.agent.plan;

import dev.flotilla.model.AppSpec;
import java.nio.charset.StandardCharsets;

/**
 * Rewrites the unit of an app whose version stays but whose unit differs from the declared one (its command or
 * environment changed, or the file was edited), restarts it and runs its health check; on a failed check it puts
 * the previous unit file back, restarts that, and records the new one as failed so it is not written again.
 *
 * @param spec the app as declared; its version is the current one
 * @param unitSha256 {@code sha256:<hex>} of the unit file it writes
 */
public record ReconfigureApp(AppSpec spec, String unitSha256) implements AppChange {

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
    return Sha256.of(AppUnit.generate(spec, app.currentDir()).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String app() {
    return spec.getName();
  }

  @Override
  public String line() {
    return "~ app " + spec.getName() + " " + spec.getVersion() + " (unit changed)";
  }

  @Override
  public String toString() {
    return line();
  }
}
