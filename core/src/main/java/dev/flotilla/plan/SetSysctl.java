package dev.flotilla.plan;

import java.util.regex.Pattern;

/**
 * Sets a kernel parameter through procfs.
 *
 * @param key the dotted key, such as {@code net.ipv4.ip_forward}
 * @param from the current value (whitespace normalised), or null when unknown
 * @param to the desired value (whitespace normalised)
 */
public record SetSysctl(String key, String from, String to) implements Change {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  /**
   * A sysctl value with surrounding whitespace removed and inner runs of whitespace made one space: procfs prints
   * tabs between the values of a multi-value key ({@code "4096\t16384\t4194304"}); people write spaces.
   */
  public static String normalise(String value) {
    return value == null ? null : WHITESPACE.matcher(value.strip()).replaceAll(" ");
  }

  @Override
  public String kind() {
    return "sysctl";
  }

  @Override
  public String name() {
    return key;
  }

  @Override
  public String line() {
    return "~ sysctl " + key + " " + (from == null ? "(unknown)" : from) + " -> " + to;
  }

  @Override
  public String toString() {
    return line();
  }
}
