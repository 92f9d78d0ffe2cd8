package dev.flotilla.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The bundle store on disk: {@code devices/<device>/bundle.json} (the signed Sigstore bundle, served as is) and
 * {@code meta.json} beside it (version, content hash, commit, times). Each file is replaced atomically, bundle
 * first, so a reader never sees a half-written bundle, and a crash leaves at worst a meta file one version behind,
 * which the next pass repairs. Not thread-safe; one publisher writes.
 */
public final class BundleDirectory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path root;

  public BundleDirectory(Path root) throws IOException {
    this.root = root;
    Files.createDirectories(root.resolve("devices"));
  }

  public Path root() {
    return root;
  }

  /** Everything the store holds, by device. */
  public Map<String, Published> load() throws IOException {
    var all = new TreeMap<String, Published>();
    try (Stream<Path> dirs = Files.list(root.resolve("devices"))) {
      for (var dir : dirs.toList()) {
        var meta = dir.resolve("meta.json");
        var bundle = dir.resolve("bundle.json");
        if (Files.isRegularFile(meta) && Files.isRegularFile(bundle)) {
          var node = JSON.readTree(meta.toFile());
          var published = new Published(node.path("tenant").asText(), dir.getFileName().toString(),
              node.path("version").asLong(), node.path("contentHash").asText(), node.path("sourceCommit").asText(),
              Instant.parse(node.path("issuedAt").asText()), Instant.parse(node.path("expiresAt").asText()),
              Files.readAllBytes(bundle));
          all.put(published.device(), published);
        }
      }
    }
    return all;
  }

  public void write(Published published) throws IOException {
    var dir = root.resolve("devices").resolve(published.device());
    Files.createDirectories(dir);
    replace(dir.resolve("bundle.json"), published.bundle());
    ObjectNode meta = JSON.createObjectNode()
        .put("tenant", published.tenant())
        .put("version", published.version())
        .put("contentHash", published.contentHash())
        .put("sourceCommit", published.sourceCommit())
        .put("issuedAt", published.issuedAt().toString())
        .put("expiresAt", published.expiresAt().toString());
    replace(dir.resolve("meta.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
  }

  public void remove(String device) throws IOException {
    var dir = root.resolve("devices").resolve(device);
    Files.deleteIfExists(dir.resolve("meta.json"));
    Files.deleteIfExists(dir.resolve("bundle.json"));
    Files.deleteIfExists(dir);
  }

  private static void replace(Path target, byte[] content) throws IOException {
    var temp = Files.createTempFile(target.getParent(), ".tmp-", ".json");
    try {
      Files.write(temp, content);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
