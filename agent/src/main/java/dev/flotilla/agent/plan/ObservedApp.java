package dev.flotilla.agent.plan;

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
 */
public record ObservedApp(String name, String current, List<String> installed, Map<String, String> failed) {

  public ObservedApp {
    installed = List.copyOf(installed);
    failed = Collections.unmodifiableMap(new TreeMap<>(failed));
  }

  /** An app with nothing installed. */
  public static ObservedApp missing(String name) {
    return new ObservedApp(name, null, List.of(), Map.of());
  }
}
