package dev.flotilla.render;

/**
 * What policies merge on: one managed resource of a device, such as {@code sysctl vm.swappiness} or
 * {@code file /etc/motd}. Ordered by kind, then name.
 */
public record ResourceKey(Type type, String name) implements Comparable<ResourceKey> {

  public enum Type {
    FILE("file"),
    UNIT("unit"),
    SYSCTL("sysctl"),
    APP("app");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The key as bundles name the resource in drift modes and urgent keys: {@code file:/etc/motd}. */
  public String bundleKey() {
    return type.label() + ":" + name;
  }

  @Override
  public int compareTo(ResourceKey other) {
    int byType = type.compareTo(other.type);
    return byType != 0 ? byType : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return type.label() + " '" + name + "'";
  }
}
