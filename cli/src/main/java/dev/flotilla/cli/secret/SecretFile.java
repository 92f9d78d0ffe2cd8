package dev.flotilla.cli.secret;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.fleet.edit.YamlEdit;
import dev.flotilla.model.SealedValue;
import dev.flotilla.model.Secret;
import dev.flotilla.schema.DocumentException;
import dev.flotilla.schema.YamlReader;
import dev.flotilla.secret.SealedSecret;
import dev.flotilla.secret.Sealer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A secret file ({@code tenants/<t>/secrets/<name>.yaml}) as {@code flotilla secret seal} and {@code reseal} read
 * and write it: the sealed value per device, never a value. Writing goes through {@link YamlEdit}, so device names
 * and ciphertext are rendered as YAML scalars, never pasted into YAML. Immutable.
 *
 * @param tenant the tenant folder
 * @param name the secret's name
 * @param description what the secret is for, or null
 * @param devices the sealed value per device, sorted by device name
 */
public record SecretFile(String tenant, String name, String description, Map<String, SealedValue> devices) {
  private static final ObjectMapper BINDER = new ObjectMapper();

  public SecretFile {
    devices = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(devices));
  }

  public static String path(String tenant, String name) {
    return "tenants/" + tenant + "/secrets/" + name + ".yaml";
  }

  public String path() {
    return path(tenant, name);
  }

  /** Reads the file's text; throws {@link DocumentException} when it is not a secret file one can bind. */
  public static SecretFile parse(String tenant, String name, String text) throws DocumentException {
    var node = new YamlReader().read(text.getBytes(StandardCharsets.UTF_8));
    var secret = BINDER.convertValue(node, Secret.class);
    var spec = secret.getSpec();
    return new SecretFile(tenant, name, spec == null ? null : spec.getDescription(),
        spec == null || spec.getDevices() == null ? Map.of() : spec.getDevices());
  }

  /** The highest serial of any device's value, 0 when there is none: the next seal takes one more. */
  public long serial() {
    return devices.values().stream().mapToLong(SealedValue::getSerial).max().orElse(0);
  }

  /** This file with {@code sealed}'s device set to it. */
  public SecretFile with(SealedSecret sealed) {
    var next = new TreeMap<>(devices);
    next.put(sealed.device(), value(sealed));
    return new SecretFile(tenant, name, description, next);
  }

  private static SealedValue value(SealedSecret sealed) {
    var value = new SealedValue();
    value.setScheme(SealedSecret.SCHEME);
    value.setKeyFingerprint(sealed.keyFingerprint());
    value.setSerial(sealed.serial());
    value.setCiphertext(sealed.ciphertextBase64());
    return value;
  }

  /**
   * This file with {@code value} sealed anew for every device of {@code targets} under the next serial; other
   * devices keep their values. Seals in parallel: each device costs one KEM encapsulation.
   */
  public SecretFile sealedFor(SealTargets targets, byte[] value) {
    var serial = serial() + 1;
    var sealed = targets.keys().entrySet().parallelStream()
        .map(e -> Sealer.seal(name, e.getKey(), e.getValue(), serial, value)).toList();
    var next = new TreeMap<>(devices);
    sealed.forEach(one -> next.put(one.device(), value(one)));
    return new SecretFile(tenant, name, description, next);
  }

  /** The whole file's text, with a modeline and a line saying no value is in it. */
  public String text() {
    var edit = YamlEdit.of("# yaml-language-server: $schema=../../../.flotilla/schemas/secret.yaml\n"
            + "# Written by 'flotilla secret seal'. Each value is sealed to one device's key; no value is here.\n"
            + "apiVersion: flotilla.dev/v1\nkind: Secret\n")
        .set("metadata.name", name).set("metadata.tenant", tenant);
    if (description != null) {
      edit = edit.set("spec.description", description);
    }
    var rows = new LinkedHashMap<String, Object>();
    devices.forEach((device, value) -> {
      var row = new LinkedHashMap<String, Object>();
      row.put("scheme", value.getScheme());
      row.put("keyFingerprint", value.getKeyFingerprint());
      row.put("serial", value.getSerial());
      row.put("ciphertext", value.getCiphertext());
      rows.put(device, row);
    });
    return edit.set("spec.devices", rows).text();
  }
}
