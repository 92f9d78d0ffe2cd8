package dev.flotilla.plan;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An app as the agent found it in its apps directory.
 *
 * @param name the app's name
 * @param current the version the {@code current} link points at, or null
 * @param installed every installed version, oldest first
 * @param failed versions whose health check failed, with the reason; the agent does not switch to them again
 * @param currentDir the app's {@code current} directory as units on the device see it, which a generated unit
 *     runs the command from; null when not known
 * @param shippedUnit {@code sha256:<hex>} of the unit file the current version ships under the app's {@code unit}
 *     name, or null when it ships none
 * @param failedUnits unit files ({@code sha256:<hex>} of their content) that failed the health check at the
 *     current version, with the reason; the agent does not write them again
 */
public record ObservedApp(String name, String current, List<String> installed, Map<String, String> failed,
    String currentDir, String shippedUnit, Map<String, String> failedUnits) {

  public ObservedApp {
    installed = List.copyOf(installed);
    failed = Collections.unmodifiableMap(new TreeMap<>(failed));
    failedUnits = Collections.unmodifiableMap(new TreeMap<>(failedUnits));
  }

  /** An app whose unit file is not compared (its current directory is not known). */
  public ObservedApp(String name, String current, List<String> installed, Map<String, String> failed) {
    this(name, current, installed, failed, null, null, Map.of());
  }

  /** An app with nothing installed. */
  public static ObservedApp missing(String name) {
    return new ObservedApp(name, null, List.of(), Map.of());
  }
}
