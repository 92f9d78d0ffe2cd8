package dev.flotilla.validate;

import dev.flotilla.fleet.Document;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.Device;
import dev.flotilla.model.SealedValue;
import dev.flotilla.model.Secret;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.render.Selectors;
import dev.flotilla.schema.Problem;
import dev.flotilla.trust.Keys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks every file that names a secret, for every device it reaches (the devices a policy selects, or the device
 * that declares it): the tenant has the secret (error), it holds a value sealed for the device (error, naming the
 * command that seals it), and that value is sealed to the key the device has now (warning: the agent could not
 * open it; reseal it). A policy may not carry {@code sealed} itself (error): the reconciler sets it. Pure; a message
 * never holds ciphertext.
 */
final class SecretChecks {
  private SecretChecks() {}

  static void check(FleetIndex index, List<Problem> out) {
    var secrets = new HashMap<String, Document<Secret>>();
    index.snapshot().secrets().forEach(s -> secrets.put(s.resource().getMetadata().getTenant() + "/"
        + s.resource().getMetadata().getName(), s));
    for (var policy : index.snapshot().policies()) {
      var spec = policy.resource().getSpec();
      var tenant = policy.resource().getMetadata().getTenant();
      var reached = index.devicesOf(tenant).stream()
          .filter(d -> Selectors.matches(spec.getSelector(), d.resource())).toList();
      files(policy, spec.getState(), new Object[] {"spec", "state", "files"}, reached, secrets, out);
    }
    index.snapshot().secrets().forEach(secret -> staleKeys(index, secret, out));
    for (var device : index.snapshot().devices()) {
      files(device, device.resource().getSpec().getState(), new Object[] {"spec", "state", "files"},
          List.of(device), secrets, out);
    }
  }

  private static void files(Document<?> owner, DesiredState state, Object[] at, List<Document<Device>> devices,
      Map<String, Document<Secret>> secrets, List<Problem> out) {
    if (state == null || state.getFiles() == null) {
      return;
    }
    var files = state.getFiles();
    for (int i = 0; i < files.size(); i++) {
      var file = files.get(i);
      var field = new Object[] {at[0], at[1], at[2], i, file.getSealed() != null ? "sealed" : "secret"};
      if (file.getSealed() != null) {
        out.add(Problem.error(owner.path(), owner.locate(field), Where.field(field), "'sealed' is set by the"
            + " reconciler from the secret file", "name the secret with 'secret' and seal it with 'flotilla secret"
            + " seal'"));
      } else if (file.getSecret() != null) {
        var tenant = metadataTenant(owner);
        var secret = secrets.get(tenant + "/" + file.getSecret());
        if (secret == null) {
          out.add(Problem.error(owner.path(), owner.locate(field), Where.field(field), "no secret '"
              + file.getSecret() + "' in tenant '" + tenant + "'", "seal it with 'flotilla secret seal "
              + file.getSecret() + " --tenant " + tenant + "'"));
        } else {
          sealedFor(owner, field, secret, devices, out);
        }
      }
    }
  }

  /** One error for the devices a file reaches that the secret has no value for. */
  private static void sealedFor(Document<?> owner, Object[] field, Document<Secret> secret,
      List<Document<Device>> devices, List<Problem> out) {
    var name = secret.resource().getMetadata().getName();
    var missing = new ArrayList<String>();
    for (var device : devices) {
      var deviceName = device.resource().getMetadata().getName();
      SealedValue sealed = secret.resource().getSpec().getDevices().get(deviceName);
      if (sealed == null) {
        missing.add(deviceName);
      }
    }
    if (!missing.isEmpty()) {
      var some = String.join(", ", missing.subList(0, Math.min(3, missing.size())));
      out.add(Problem.error(owner.path(), owner.locate(field), Where.field(field), "secret '" + name
          + "' has no value sealed for " + (missing.size() == 1 ? "device '" + some + "'" : missing.size()
          + " devices, such as " + some), "run 'flotilla secret seal " + name + "' with --device, -l or --tenant"
          + " for them").involving(secret.path()));
    }
  }

  /** A warning for each device of the secret's tenant whose key changed since its value was sealed. */
  private static void staleKeys(FleetIndex index, Document<Secret> secret, List<Problem> out) {
    var name = secret.resource().getMetadata().getName();
    var values = secret.resource().getSpec().getDevices();
    for (var device : index.devicesOf(secret.resource().getMetadata().getTenant())) {
      var deviceName = device.resource().getMetadata().getName();
      var sealed = values.get(deviceName);
      if (sealed != null && !sealedToCurrentKey(sealed, device)) {
        var at = new Object[] {"spec", "devices", deviceName, "keyFingerprint"};
        out.add(Problem.warning(secret.path(), secret.locate(at), Where.field(at), "secret '" + name + "' is sealed"
            + " to a key device '" + deviceName + "' no longer has, so its agent cannot open it", "run 'flotilla"
            + " secret reseal " + name + "' with the value").involving(device.path()));
      }
    }
  }

  /** True unless the device has a valid key whose fingerprint differs from the one the value was sealed to. */
  private static boolean sealedToCurrentKey(SealedValue sealed, Document<Device> device) {
    var pem = device.resource().getSpec().getPublicKey();
    return pem == null || Keys.refusal(pem) != null
        || Keys.keyId(Keys.parsePublicPem(pem)).equals(sealed.getKeyFingerprint());
  }

  private static String metadataTenant(Document<?> owner) {
    return switch (owner.resource()) {
      case dev.flotilla.model.Policy p -> p.getMetadata().getTenant();
      case Device d -> d.getMetadata().getTenant();
      default -> throw new IllegalArgumentException("files of a " + owner.kind().displayName());
    };
  }
}
