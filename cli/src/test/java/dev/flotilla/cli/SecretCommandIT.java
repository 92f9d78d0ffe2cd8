package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.secret.SecretFile;
import dev.flotilla.secret.SealedSecret;
import dev.flotilla.secret.Sealer;
import dev.flotilla.trust.Keys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla secret seal|reseal} on a Git checkout of the template fleet: what is committed and said. */
class SecretCommandIT {
  static final String VALUE = "psk-Zebra-Quartz-7731";
  static final String FILE = "tenants/acme-retail/secrets/wifi-psk.yaml";

  @TempDir
  Path repo;
  @TempDir
  Path keys;
  TemplateCheckout checkout;

  @BeforeEach
  void checkout() throws Exception {
    checkout = TemplateCheckout.commit(repo);
  }

  @Test
  void sealsForTheSelectedDevicesOnlyWhatEachCanOpen() throws Exception {
    var kiosk = newKey("kiosk-berlin-01-a");
    var valueFile = Files.writeString(keys.resolve("value"), VALUE);

    var run = Run.flotilla("secret", "seal", "wifi-psk", "--repo", repo.toString(), "-l", "store=berlin-01",
        "--from-file", valueFile.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("sealed secret 'wifi-psk' (serial 1) for 2 devices (kiosk-berlin-01-a, "
        + "pos-berlin-01-1) of tenant 'acme-retail'; committed ").endsWith("\nleft out 2 devices (kiosk-berlin-01-b,"
        + " pos-berlin-01-2), which have no public key yet; seal again once they have claimed\n");
    var text = Files.readString(repo.resolve(FILE));
    assertThat(text).doesNotContain(VALUE).contains("kiosk-berlin-01-a:").contains("pos-berlin-01-1:")
        .doesNotContain("kiosk-berlin-01-b");
    assertThat(open(text, "kiosk-berlin-01-a", kiosk, 1)).isEqualTo(VALUE);
    assertThat(Run.flotilla("validate", repo.toString()).exitCode()).isZero();
  }

  @Test
  void refusesDevicesWithoutKeyAndCommitsNothing() throws Exception {
    var head = checkout.head();

    var run = Run.flotilla("secret", "seal", "wifi-psk", "--repo", repo.toString(), "--device", "kiosk-berlin-01-b",
        "--from-file", Files.writeString(keys.resolve("value"), VALUE).toString());

    assertThat(run).isEqualTo(new Run(1, "", "flotilla: seal secret: device 'kiosk-berlin-01-b' has no public key"
        + " yet; seal once they have claimed\n"));
    checkout.assertUntouchedSince(head);
  }

  @Test
  void resealsOnlyForDevicesWhoseKeyChangedUnderANewSerial() throws Exception {
    newKey("kiosk-berlin-01-a");
    var valueFile = Files.writeString(keys.resolve("value"), VALUE).toString();
    assertThat(Run.flotilla("secret", "seal", "wifi-psk", "--repo", repo.toString(), "--tenant", "acme-retail",
        "-l", "role=kiosk", "--from-file", valueFile).exitCode()).isZero();
    var untouched = SecretFile.parse("acme-retail", "wifi-psk", Files.readString(repo.resolve(FILE)))
        .devices().get("kiosk-munich-01-a").getCiphertext();
    var rotated = newKey("kiosk-berlin-01-a");
    assertThat(Run.flotilla("validate", repo.toString()).out())
        .contains("secret 'wifi-psk' is sealed to a key device 'kiosk-berlin-01-a' no longer has");

    var run = Run.flotilla("secret", "reseal", "wifi-psk", "--repo", repo.toString(), "--from-file", valueFile);

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("resealed secret 'wifi-psk' (serial 2) for device 'kiosk-berlin-01-a', whose"
        + " key changed; committed ");
    var text = Files.readString(repo.resolve(FILE));
    assertThat(open(text, "kiosk-berlin-01-a", rotated, 2)).isEqualTo(VALUE);
    assertThat(SecretFile.parse("acme-retail", "wifi-psk", text).devices().get("kiosk-munich-01-a")
        .getCiphertext()).isEqualTo(untouched);
    assertThat(Run.flotilla("secret", "reseal", "wifi-psk", "--repo", repo.toString()).out())
        .isEqualTo("reseal secret 'wifi-psk': every device's value is sealed to its current key; nothing to do\n");
  }

  /** Gives the device a new key, committed, and returns it. */
  private KeyPair newKey(String device) throws Exception {
    var out = keys.resolve(device + "-" + System.nanoTime());
    assertThat(Run.flotilla("device", "keygen", device, "--repo", repo.toString(), "--out", out.toString(),
        "--force").exitCode()).isZero();
    checkout.git().commit().setAll(true).setMessage("key").setAuthor("t", "t@example.org")
        .setCommitter("t", "t@example.org").call();
    return new KeyPair(Keys.readPublic(out.resolve(device + ".pub.pem")), Keys.readPrivate(out.resolve(device
        + ".pem")));
  }

  private static String open(String text, String device, KeyPair key, long serial) throws Exception {
    var value = SecretFile.parse("acme-retail", "wifi-psk", text).devices().get(device);
    assertThat(value.getSerial()).isEqualTo(serial);
    var sealed = new SealedSecret("wifi-psk", device, value.getKeyFingerprint(), value.getSerial(),
        Base64.getDecoder().decode(value.getCiphertext()));
    return new String(Sealer.open(sealed, "wifi-psk", device, key, 0), StandardCharsets.UTF_8);
  }
}
