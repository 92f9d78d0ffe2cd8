package dev.flotilla.agent.claim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.flotilla.io.Leftovers;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the agent learned by claiming, kept in its state dir ({@code claimed.yaml}) so that later starts run
 * normally while the agent config stays read-only: its device name, tenant, key and trust root files.
 */
public record Claimed(String device, String tenant, String privateKey, String trustRoot) {
  public static final String FILE = "claimed.yaml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
  /** What {@link #write} names its temp file: {@link Files#createTempFile} puts an unsigned decimal in the middle. */
  private static final Pattern TEMP = Pattern.compile("\\.claimed-[0-9]+\\.tmp");

  public static Optional<Claimed> read(Path stateDir) throws IOException {
    var file = stateDir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(YAML.readValue(file.toFile(), Claimed.class));
    } catch (IOException e) {
      throw new IOException("read '" + file + "': " + e.getMessage() + "; delete it and claim again", e);
    }
  }

  /**
   * Removes what a {@link #write} or a key written at claim time left when a crash came between writing its temp
   * file and renaming it: {@code .claimed-<digits>.tmp} and {@code .key-<digits>.tmp} (which may hold the private
   * key) in {@code stateDir}; nothing else.
   *
   * @return the files removed
   */
  public static List<Path> removeTempFiles(Path stateDir) throws IOException {
    var removed = new ArrayList<>(Leftovers.remove(stateDir, TEMP));
    removed.addAll(Keys.removeTempFiles(stateDir));
    return removed;
  }

  /** Writes atomically: a crash leaves the old file or the new one. */
  public void write(Path stateDir) throws IOException {
    Files.createDirectories(stateDir);
    var temp = Files.createTempFile(stateDir, ".claimed-", ".tmp");
    try {
      YAML.writeValue(temp.toFile(), this);
      Files.move(temp, stateDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
