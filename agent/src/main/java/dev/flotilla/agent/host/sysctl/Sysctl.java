package dev.flotilla.agent.host.sysctl;

import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.digest.Digest;
import dev.flotilla.io.Failures;
import dev.flotilla.plan.PersistSysctl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kernel parameters through a procfs root ({@code /proc} on a device; a temp dir or a network namespace in tests):
 * key {@code net.ipv4.ip_forward} is the file {@code procRoot/sys/net/ipv4/ip_forward}. Keys whose names contain a
 * dot or slash of their own (such as interface names with a VLAN id) are not supported.
 *
 * <p>Values set at runtime are lost at reboot, so {@link #persist} (what the applier does for a planned {@link
 * PersistSysctl}) writes the whole desired map to {@value #PERSIST_PATH} under the host root, which systemd-sysctl
 * reads at boot. Errors read {@code set sysctl '<key>':
 * <cause>[; <fix>]}. Thread-safe.
 */
public final class Sysctl {
  /** The sysctl.d file the agent owns. */
  public static final String PERSIST_PATH = PersistSysctl.PATH;
  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*(\\.[A-Za-z0-9_-]+)+");

  private final Path sysRoot;
  private final HostFiles persistFiles;

  public Sysctl(Path procRoot, Path hostRoot) {
    this.sysRoot = procRoot.resolve("sys");
    this.persistFiles = new HostFiles(hostRoot, List.of("/etc/sysctl.d"));
  }

  /** Removes the temp files an interrupted {@link #persist} left in {@code /etc/sysctl.d}; see {@link HostFiles}. */
  public List<String> removeTempFiles() throws IOException {
    return persistFiles.removeTempFiles(List.of(PERSIST_PATH.substring(0, PERSIST_PATH.lastIndexOf('/'))));
  }

  /**
   * The current value of {@code key} as procfs prints it, without the final newline; empty when the key does not
   * exist.
   *
   * @throws IOException when the key is malformed or cannot be read (write-only keys)
   */
  public Optional<String> read(String key) throws IOException {
    var file = file(key, "read sysctl");
    try {
      var text = Files.readString(file, StandardCharsets.UTF_8);
      return Optional.of(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IOException("read sysctl '" + key + "': " + Failures.reason(e), e);
    }
  }

  /**
   * Checks that {@code key} is well formed and exists, without writing: what an applier checks before it starts.
   *
   * @throws IOException {@code set sysctl 'x.y': no such key under /proc/sys} and the like
   */
  public void check(String key) throws IOException {
    var file = file(key, "set sysctl");
    if (!Files.isRegularFile(file)) {
      throw new IOException("set sysctl '" + key + "': no such key under " + sysRoot);
    }
  }

  /**
   * Writes {@code value} and a newline to the key's procfs file (in place: procfs has no rename).
   *
   * @throws IOException when the key does not exist, the kernel refuses the value, or the agent lacks the right
   */
  public void write(String key, String value) throws IOException {
    check(key);
    if (value == null || value.indexOf('\n') >= 0) {
      throw new IOException("set sysctl '" + key + "': the value must be one line");
    }
    try {
      Files.writeString(file(key, "set sysctl"), value + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      var fix = Failures.notPermitted(e) ? "; run the agent as root" : "";
      throw new IOException("set sysctl '" + key + "' to '" + value + "': " + Failures.reason(e) + fix, e);
    }
  }

  /**
   * Makes {@code all} the content of {@value #PERSIST_PATH}: a header and {@code key = value} lines sorted by key,
   * written atomically; deletes the file when {@code all} is empty. Idempotent: an identical file is not rewritten.
   *
   * @return CREATED, UPDATED, DELETED, or UNCHANGED when the file already was as asked
   * @throws IOException from writing the file, such as {@code write file '/etc/sysctl.d/90-flotilla.conf': ...}
   */
  public Outcome persist(Map<String, String> all) throws IOException {
    var current = persistFiles.observe(PERSIST_PATH);
    if (all == null || all.isEmpty()) {
      if (!current.exists()) {
        return Outcome.UNCHANGED;
      }
      persistFiles.delete(PERSIST_PATH);
      return Outcome.DELETED;
    }
    var content = PersistSysctl.content(all);
    if (current.exists() && !current.symlink() && Digest.sha256(content).toString().equals(current.sha256())
        && PersistSysctl.MODE.equals(current.mode())) {
      return Outcome.UNCHANGED;
    }
    persistFiles.write(PERSIST_PATH, content, PersistSysctl.MODE, null, null);
    return current.exists() ? Outcome.UPDATED : Outcome.CREATED;
  }

  private Path file(String key, String action) throws IOException {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IOException(action + " '" + key + "': not a sysctl key; "
          + "write it dotted, such as 'net.ipv4.ip_forward'");
    }
    return sysRoot.resolve(key.replace('.', '/'));
  }
}
