package dev.flotilla.validate;

import dev.flotilla.schema.Problem;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.trust.Keys;
import java.util.HashMap;
import java.util.List;

/**
 * Checks every public key of the fleet with {@link Keys#refusal}, the rule every reader of keys applies: each
 * Device's {@code spec.publicKey} and each trust-root key holds an ECDSA P-256 key (the only kind Flotilla signs
 * and verifies with), and no two devices have the same key. Keys are compared decoded, by key id, so the same key
 * wrapped or spaced differently is still found. Pure; a message never repeats the key's text.
 */
final class DeviceKeyChecks {
  private static final Object[] FIELD = {"spec", "publicKey"};

  private DeviceKeyChecks() {}

  static void check(FleetIndex index, List<Problem> out) {
    trustRoot(index, out);
    var first = new HashMap<String, dev.flotilla.fleet.Document<?>>();
    for (var device : index.snapshot().devices()) {
      var pem = device.resource().getSpec().getPublicKey();
      if (pem == null) {
        continue;
      }
      var at = device.locate(FIELD);
      var refused = Keys.refusal(pem);
      if (refused != null) {
        out.add(Problem.error(device.path(), at, "spec.publicKey", refused.reason(), refused.key()
            ? "devices sign with ECDSA P-256 keys ('flotilla device keygen' makes one)"
            : "paste the whole '-----BEGIN PUBLIC KEY-----' block"));
        continue;
      }
      var previous = first.putIfAbsent(Keys.keyId(Keys.parsePublicPem(pem)), device);
      if (previous != null) {
        out.add(Problem.error(device.path(), at, "spec.publicKey", "public key is also used by '" + previous.path()
            + "' (line " + previous.locate(FIELD).line() + ")", "each device makes its own key pair when it claims")
            .involving(previous.path()));
      }
    }
  }

  /** Every key the trust root lists must be one {@link Keys#parsePublicPem} takes, as agents parse the root. */
  private static void trustRoot(FleetIndex index, List<Problem> out) {
    var root = index.snapshot().trustRoot();
    if (root.isEmpty()) {
      return;
    }
    var keys = root.get().resource().getSigned().getKeys();
    for (int i = 0; i < keys.size(); i++) {
      var refused = Keys.refusal(keys.get(i).getPublicKey());
      if (refused != null) {
        var field = new Object[] {"signed", "keys", i, "publicKey"};
        out.add(Problem.error(root.get().path(), root.get().locate(field), Where.field(field), refused.reason(),
            "trust-root keys are ECDSA P-256; make them with 'flotilla keys init' or 'flotilla keys rotate'"));
      }
    }
  }
}
