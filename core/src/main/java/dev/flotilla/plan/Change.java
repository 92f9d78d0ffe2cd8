package dev.flotilla.plan;

/**
 * One step of a {@link Plan}. Every change names its resource by {@link #kind()} and {@link #name()} and prints
 * as one line, the same in {@code flotilla plan}, {@code --dry-run} and drift reports.
 */
public sealed interface Change permits WriteFile, WriteSealedFile, DeleteFile, SetSysctl, PersistSysctl, UnitChange, AppChange {

  /** The kind of resource: {@code file}, {@code sysctl}, {@code unit} or {@code app}. */
  String kind();

  /** The resource's name: a file's device path, a sysctl key, a unit's or an app's name. */
  String name();

  /** The change as one line, such as {@code ~ sysctl net.ipv4.ip_forward 0 -> 1}. */
  String line();

  /**
   * The resource's key, as drift modes and reports name it: {@code file:/etc/motd}, {@code
   * sysctl:net.ipv4.ip_forward}. (Not {@code key()}: {@link SetSysctl#key()} is the sysctl key.)
   */
  default String resourceKey() {
    return kind() + ":" + name();
  }
}
