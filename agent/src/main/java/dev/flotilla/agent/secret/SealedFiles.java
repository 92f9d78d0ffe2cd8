package dev.flotilla.agent.secret;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.DesiredState;
import dev.flotilla.plan.WriteSealedFile;
import dev.flotilla.secret.SealException;
import dev.flotilla.secret.SealedSecret;
import dev.flotilla.secret.Sealer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The device side of sealed secrets: opens a sealed value with the device's private key only when the applier
 * writes it, and remembers in {@code <stateDir>/sealed-files.json} (0600) what it wrote: per path the digest of the
 * ciphertext and of the content, per secret the highest serial written. The planner compares the host with that
 * digest ({@link #known}), so no pass opens a secret just to look; a serial below the one recorded is refused, so
 * an old value put back in the fleet repo is never written. Never logs or returns a value except to the writer.
 */
public final class SealedFiles {
  static final String FILE = "sealed-files.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What was written at a path: the ciphertext's digest and the content's. */
  record Written(String ciphertext, String content) {}

  /** The record kept on disk. */
  record State(Map<String, Written> files, Map<String, Long> serials) {}

  private final Path file;
  private final String device;
  private final PrivateKey key;
  private final String fingerprint;
  private State state;

  /**
   * @param key the device's private key; null for an agent without one, which then refuses every sealed file
   * @param fingerprint the device's public key id, or null when the agent has only the private half
   */
  public SealedFiles(Path stateDir, String device, PrivateKey key, String fingerprint) throws IOException {
    this.file = stateDir.resolve(FILE);
    this.device = device;
    this.key = key;
    this.fingerprint = fingerprint;
    this.state = Files.exists(file) ? JSON.readValue(file.toFile(), State.class)
        : new State(Map.of(), Map.of());
  }

  /**
   * {@code desired} with each sealed file's {@code sha256} set to the content written last for this very
   * ciphertext, or cleared when there is none; the files of the bundle are copied, never changed. Pure.
   */
  public DesiredState known(DesiredState desired) {
    if (desired == null || desired.getFiles() == null || desired.getFiles().stream().allMatch(f -> f.getSealed() == null)) {
      return desired;
    }
    var copy = JSON.convertValue(desired, DesiredState.class);
    copy.getFiles().stream().filter(f -> f.getSealed() != null).forEach(f -> {
      var written = state.files().get(f.getPath());
      f.setSha256(written != null && written.ciphertext().equals(digest(f.getSealed().getCiphertext()))
          ? written.content() : null);
    });
    return copy;
  }

  /** The value of {@code change}, opened with the device key; the caller writes it, then calls {@link #wrote}. */
  public byte[] open(WriteSealedFile change) throws IOException {
    if (key == null) {
      throw new IOException("open sealed secret '" + change.secret() + "': this agent has no device key");
    }
    var sealed = change.sealed();
    byte[] ciphertext;
    try {
      ciphertext = Base64.getDecoder().decode(sealed.getCiphertext());
    } catch (IllegalArgumentException e) {
      throw new IOException("open sealed secret '" + change.secret() + "': the ciphertext is not base64");
    }
    var secret = new SealedSecret(change.secret(), device, sealed.getKeyFingerprint(), sealed.getSerial(),
        ciphertext);
    try {
      return Sealer.open(secret, change.secret(), device, key, fingerprint,
          state.serials().getOrDefault(change.secret(), 0L));
    } catch (SealException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Records that {@code change}'s value, whose digest is {@code content}, is now at its path. */
  public void wrote(WriteSealedFile change, Digest content) throws IOException {
    var files = new TreeMap<>(state.files());
    files.put(change.path(), new Written(digest(change.sealed().getCiphertext()), content.toString()));
    var serials = new TreeMap<>(state.serials());
    serials.merge(change.secret(), change.sealed().getSerial(), Math::max);
    save(new State(files, serials));
  }

  private void save(State next) throws IOException {
    var temp = Files.createTempFile(file.getParent(), ".sealed-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(temp, JSON.writeValueAsBytes(next));
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      state = next;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static String digest(String ciphertext) {
    return Digest.sha256(ciphertext.getBytes(StandardCharsets.US_ASCII)).toString();
  }
}
