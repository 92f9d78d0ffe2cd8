package dev.flotilla.validate;

import dev.flotilla.fleet.Problem;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.trust.Keys;
import java.util.HashMap;
import java.util.List;

/**
 * Checks every Device's {@code spec.publicKey}: it holds a key, an ECDSA P-256 one (the only kind devices sign
 * requests with), and no other device has the same key. Keys are compared decoded, by key id, so the same key
 * wrapped or spaced differently is still found. Pure; a message never repeats the key's text.
 */
final class DeviceKeyChecks {
  private static final Object[] FIELD = {"spec", "publicKey"};

  private DeviceKeyChecks() {}

  static void check(FleetIndex index, List<Problem> out) {
    var first = new HashMap<String, dev.flotilla.fleet.Document<?>>();
    for (var device : index.snapshot().devices()) {
      var pem = device.resource().getSpec().getPublicKey();
      if (pem == null) {
        continue;
      }
      var at = device.locate(FIELD);
      String kind;
      try {
        kind = Keys.kind(pem);
      } catch (IllegalArgumentException e) {
        out.add(Problem.error(device.path(), at, "spec.publicKey", "not a PEM public key (" + e.getMessage() + ")",
            "paste the whole '-----BEGIN PUBLIC KEY-----' block"));
        continue;
      }
      if (!Keys.P256.equals(kind)) {
        out.add(Problem.error(device.path(), at, "spec.publicKey", article(kind) + " " + kind + " key",
            "devices sign with ECDSA P-256 keys ('flotilla device keygen' makes one)"));
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

  private static String article(String kind) {
    return "AEIOU".indexOf(kind.charAt(0)) >= 0 || kind.startsWith("RSA") || kind.startsWith("X") ? "an" : "a";
  }
}
