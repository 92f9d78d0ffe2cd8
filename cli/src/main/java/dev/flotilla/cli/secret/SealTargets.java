package dev.flotilla.cli.secret;

import dev.flotilla.cli.console.ExitCodes;
import dev.flotilla.cli.console.UserException;
import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.model.Device;
import dev.flotilla.trust.Keys;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The devices a seal is for, all of one tenant and each with its public key: one device by name, the devices a
 * label selector picks, or every device of a tenant. Nothing can be sealed to a device that has no key yet (not
 * claimed): one named device is refused, picked ones are left out and listed. Pure over a snapshot.
 *
 * @param tenant the tenant the secret belongs to
 * @param keys each device's public key, by device name, sorted
 * @param keyless the picked devices left out for want of a key, sorted
 */
public record SealTargets(String tenant, Map<String, PublicKey> keys, List<String> keyless) {

  /**
   * Picks the devices: {@code device} alone when given, else those of {@code tenant} (any tenant when null) whose
   * labels match {@code labels} (a value starting with '!' meaning "not").
   *
   * @throws UserException naming the flag: no such device, no device matched, several tenants, devices without key
   */
  public static SealTargets pick(FleetSnapshot snapshot, String device, String tenant, Map<String, String> labels) {
    var picked = snapshot.devices().stream().filter(d -> device != null
        ? d.resource().getMetadata().getName().equals(device) && (tenant == null || tenant.equals(tenantOf(d)))
        : (tenant == null || tenant.equals(tenantOf(d))) && matches(labels, d.resource())).toList();
    if (picked.isEmpty()) {
      throw new UserException(ExitCodes.FAILURE, "seal secret: " + (device != null ? "no device '" + device + "'"
          : "no device matches") + " in HEAD; see 'flotilla devices' for names and labels");
    }
    var tenants = picked.stream().map(SealTargets::tenantOf).distinct().toList();
    if (tenants.size() > 1) {
      throw new UserException(ExitCodes.USAGE, "seal secret: the devices are in tenants " + String.join(", ", tenants)
          + "; a secret belongs to one tenant, so pass --tenant");
    }
    var keys = new TreeMap<String, PublicKey>();
    var keyless = new ArrayList<String>();
    for (var d : picked) {
      var pem = d.resource().getSpec().getPublicKey();
      if (pem == null || Keys.refusal(pem) != null) {
        keyless.add(d.resource().getMetadata().getName());
      } else {
        keys.put(d.resource().getMetadata().getName(), Keys.parsePublicPem(pem));
      }
    }
    if (keys.isEmpty()) {
      throw new UserException(ExitCodes.FAILURE, "seal secret: " + (device != null ? "device '" + device + "' has"
          : "the devices picked have") + " no public key yet; seal once they have claimed");
    }
    return new SealTargets(tenants.getFirst(), keys, List.copyOf(keyless));
  }

  /** The devices of {@code tenant} whose current key differs from {@code sealed}'s fingerprint for them. */
  public static SealTargets changedKeys(FleetSnapshot snapshot, SecretFile sealed) {
    var keys = new TreeMap<String, PublicKey>();
    for (var d : snapshot.devices()) {
      var value = sealed.devices().get(d.resource().getMetadata().getName());
      var pem = d.resource().getSpec().getPublicKey();
      if (tenantOf(d).equals(sealed.tenant()) && value != null && pem != null && Keys.refusal(pem) == null) {
        var key = Keys.parsePublicPem(pem);
        if (!Keys.keyId(key).equals(value.getKeyFingerprint())) {
          keys.put(d.resource().getMetadata().getName(), key);
        }
      }
    }
    return new SealTargets(sealed.tenant(), keys, List.of());
  }

  private static String tenantOf(Document<Device> device) {
    return device.resource().getMetadata().getTenant();
  }

  private static boolean matches(Map<String, String> wanted, Device device) {
    var labels = device.getMetadata().getLabels() == null ? Map.<String, String>of()
        : device.getMetadata().getLabels();
    return wanted.entrySet().stream().allMatch(e -> e.getValue().startsWith("!")
        ? !e.getValue().substring(1).equals(labels.get(e.getKey())) : e.getValue().equals(labels.get(e.getKey())));
  }

  /** The device names, for messages. */
  public List<String> names() {
    return List.copyOf(keys.keySet());
  }
}
