package dev.flotilla.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.model.FileSpec;
import dev.flotilla.model.SealedValue;
import dev.flotilla.model.Secret;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sealed values of a snapshot's secrets, and putting a device's own into the files of its render that name a
 * secret. The reconciler only copies ciphertext: it holds no key that opens it. Immutable after construction.
 */
final class SealedFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Map<String, Document<Secret>> secrets;

  SealedFiles(FleetSnapshot snapshot) {
    var byKey = new HashMap<String, Document<Secret>>();
    snapshot.secrets().forEach(s -> byKey.put(key(s.resource().getMetadata().getTenant(),
        s.resource().getMetadata().getName()), s));
    this.secrets = Map.copyOf(byKey);
  }

  /** The value of secret {@code name} of {@code tenant} sealed for {@code device}, or null when there is none. */
  SealedValue sealed(String tenant, String name, String device) {
    var secret = secrets.get(key(tenant, name));
    return secret == null ? null : secret.resource().getSpec().getDevices().get(device);
  }

  /**
   * {@code files} with every file that names a secret replaced by a copy carrying the device's sealed value (any
   * {@code sealed} a policy wrote is overwritten); a file whose secret has no value for the device is left without
   * one ({@code validate} refuses such a commit). Policies' file objects are shared, so they are never changed.
   */
  void seal(List<FileSpec> files, String tenant, String device) {
    files.replaceAll(file -> {
      if (file.getSecret() == null) {
        return file;
      }
      var copy = MAPPER.convertValue(file, FileSpec.class);
      copy.setSealed(sealed(tenant, file.getSecret(), device));
      return copy;
    });
  }

  private static String key(String tenant, String name) {
    return tenant + "/" + name;
  }
}
