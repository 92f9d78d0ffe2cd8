package dev.flotilla.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bundle store on disk: {@code devices/<device>.json}, the signed Sigstore bundle served as is, and one
 * {@code index.json} with what each bundle was made from (tenant, version, content hash, commit, times). Every file
 * is replaced atomically (written beside it, then renamed), so a reader never sees a half-written bundle. A pass
 * writes its bundles first and the index last: a crash in between leaves the index a pass behind, and the next pass
 * signs those devices again. One file per device and one index per pass keep a cold pass over 10,000 devices to
 * about two file operations per device (see bench/README.md). One publisher writes; it may write different
 * devices from several threads at once, never the same device from two, and the index from one thread.
 */
public final class BundleDirectory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INDEX = "index.json";
  private final Path root;
  private final Path devices;

  public BundleDirectory(Path root) throws IOException {
    this.root = root;
    this.devices = root.resolve("devices");
    Files.createDirectories(devices);
  }

  public Path root() {
    return root;
  }

  /** The file that holds a device's signed bundle. */
  public Path bundleFile(String device) {
    return devices.resolve(device + ".json");
  }

  /**
   * Everything the store holds, by device: the index's entries whose bundle file exists. A bundle file out of step
   * with the index (a pass that failed after writing it, say on a full disk, or a crash that left it torn) is
   * loaded with no content hash, so the next pass signs it again, and with the highest version it may have served,
   * so the new one is above anything a device accepted.
   */
  public Map<String, Published> load() throws IOException {
    var all = new TreeMap<String, Published>();
    var index = root.resolve(INDEX);
    if (!Files.isRegularFile(index)) {
      return all;
    }
    var entries = JSON.readTree(index.toFile()).fields();
    while (entries.hasNext()) {
      var entry = entries.next();
      var bundle = bundleFile(entry.getKey());
      if (Files.isRegularFile(bundle)) {
        var node = entry.getValue();
        var bytes = Files.readAllBytes(bundle);
        var version = node.path("version").asLong();
        var onDisk = versionOf(bytes);
        var inStep = onDisk == version;
        all.put(entry.getKey(), new Published(node.path("tenant").asText(), entry.getKey(),
            inStep ? version : Math.max(version + 1, onDisk), inStep ? node.path("contentHash").asText() : "",
            node.path("sourceCommit").asText(), Instant.parse(node.path("issuedAt").asText()),
            Instant.parse(node.path("expiresAt").asText()), bytes));
      }
    }
    return all;
  }

  /** The payload version of a stored bundle, or -1 when the bytes are not a readable bundle. */
  private static long versionOf(byte[] bundle) {
    try {
      var payload = JSON.readTree(bundle).path("dsseEnvelope").path("payload").asText("");
      return JSON.readTree(Base64.getDecoder().decode(payload)).path("version").asLong(-1);
    } catch (IOException | IllegalArgumentException e) {
      return -1;
    }
  }

  /** Replaces one device's bundle; {@link #writeIndex} must follow once the pass's bundles are written. */
  public void write(Published published) throws IOException {
    replace(bundleFile(published.device()), published.bundle());
  }

  /** Replaces the index with the given bundles, the whole content of the store. */
  public void writeIndex(Collection<Published> all) throws IOException {
    var index = JSON.createObjectNode();
    all.stream().sorted(java.util.Comparator.comparing(Published::device)).forEach(p -> index.putObject(p.device())
        .put("tenant", p.tenant())
        .put("version", p.version())
        .put("contentHash", p.contentHash())
        .put("sourceCommit", p.sourceCommit())
        .put("issuedAt", p.issuedAt().toString())
        .put("expiresAt", p.expiresAt().toString()));
    replace(root.resolve(INDEX), JSON.writeValueAsBytes(index));
  }

  public void remove(String device) throws IOException {
    Files.deleteIfExists(bundleFile(device));
  }

  /**
   * Writes beside the target in one write, then renames over it. The temporary name is fixed per target, which is
   * safe because only one thread writes a given file; a leftover from a crash is truncated and reused by the next
   * write.
   */
  private static void replace(Path target, byte[] content) throws IOException {
    var temp = target.resolveSibling(".tmp-" + target.getFileName());
    try {
      try (var channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        var buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw new IOException("write '" + target + "': " + e.getMessage() + "; free space or fix permissions there,"
          + " the devices keep the bundles they have", e);
    } catch (RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }
}
