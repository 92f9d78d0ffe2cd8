package dev.flotilla.plan;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes the agent's sysctl.d file ({@value #PATH}, which systemd-sysctl reads at boot) hold the desired sysctl
 * values, so they survive a reboot; with no values, deletes it. The file is the agent's own: it is not declared in
 * the bundle, not under the configured allowed paths, and not in the inventory of files.
 *
 * @param values every desired key and value (whitespace normalised), sorted; empty to delete the file
 * @param reason why: {@code not present}, what differs ({@code content}, {@code mode 0600 -> 0644}, {@code
 *     symlink}), or {@code no sysctl declared any more}
 */
public record PersistSysctl(Map<String, String> values, String reason) implements Change {
  /** The sysctl.d file the agent owns. */
  public static final String PATH = "/etc/sysctl.d/90-flotilla.conf";
  /** The file's mode. */
  public static final String MODE = "0644";
  static final String HEADER = "# managed by flotilla-agent; changes are overwritten\n";

  public PersistSysctl {
    var sorted = new TreeMap<String, String>();
    values.forEach((key, value) -> sorted.put(key, SetSysctl.normalise(value)));
    values = Collections.unmodifiableSortedMap(sorted);
  }

  /** The file's content for {@code values}: the header and {@code key = value} lines sorted by key. Pure. */
  public static byte[] content(Map<String, String> values) {
    var text = new StringBuilder(HEADER);
    new TreeMap<>(values).forEach((key, value) ->
        text.append(key).append(" = ").append(SetSysctl.normalise(value)).append('\n'));
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** This change's content; meaningless when it deletes the file. */
  public byte[] content() {
    return content(values);
  }

  /** The device path of the file, {@value #PATH}. */
  public String path() {
    return PATH;
  }

  /** Whether the change deletes the file. */
  public boolean deletes() {
    return values.isEmpty();
  }

  @Override
  public String kind() {
    return "file";
  }

  @Override
  public String name() {
    return PATH;
  }

  @Override
  public String line() {
    if (deletes()) {
      return "- file " + PATH + " (" + reason + ")";
    }
    return reason.equals("not present") ? "+ file " + PATH + " (sysctl values for boot)"
        : "~ file " + PATH + " (sysctl values for boot: " + reason + ")";
  }

  @Override
  public String toString() {
    return line();
  }
}
