package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.keys.KeyRing;
import dev.flotilla.model.KeyRole;
import dev.flotilla.server.ReconcilerServer;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustRoots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla keys} and {@code flotilla device keygen} on a copy of the template fleet. */
class KeysCommandTest {
  @TempDir
  Path work;
  Path repo;
  Path keys;

  @BeforeEach
  void template() throws Exception {
    repo = work.resolve("fleet");
    keys = work.resolve("keys");
    Files.createDirectories(repo.resolve("tenants/acme/devices"));
    Files.writeString(repo.resolve("fleet.yaml"), "apiVersion: flotilla.dev/v1\nkind: Fleet\nmetadata:\n  name: f1\n"
        + "spec:\n  trustRoot: trust/root.json\n");
    Files.writeString(repo.resolve("tenants/acme/devices/k1.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Device
        metadata:
          name: k1
          tenant: acme
        # the kiosk by the door
        spec:
          channel: prod
        """);
  }

  @Test
  void rotatedRootIsAcceptedByAnAgentHoldingTheOldOne() throws Exception {
    var init = Run.flotilla("keys", "init", "--repo", repo.toString(), "--keys", keys.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
    var v1 = KeyRing.read(repo);
    assertThat(Files.getPosixFilePermissions(keys.resolve("root.pem")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    var rotate = Run.flotilla("keys", "rotate", "--repo", repo.toString(), "--keys", keys.toString());
    assertThat(rotate.exitCode()).as(rotate.err()).isZero();
    assertThat(rotate.out()).contains("version 2");
    var v2 = KeyRing.read(repo);

    var verifier = new RootVerifier(Clock.systemUTC());
    var held = verifier.trustInitial(v1);
    var accepted = verifier.update(held, List.of(v2));
    assertThat(accepted.getSigned().getVersion()).isEqualTo(2);
    assertThat(TrustRoots.keys(accepted, KeyRole.BUNDLE_SIGNER)).singleElement()
        .isNotEqualTo(TrustRoots.keys(v1, KeyRole.BUNDLE_SIGNER).getFirst())
        .satisfies(key -> assertThat(Keys.keyId(key)).isEqualTo(Keys.keyId(
            Keys.readPublic(ReconcilerServer.publicKeyPath(keys.resolve("bundle-signer.pem"))))));
    assertThat(TrustRoots.keys(accepted, KeyRole.ROOT)).isEqualTo(TrustRoots.keys(v1, KeyRole.ROOT));
  }

  @Test
  void initRefusesToReplaceATrustRootAndKeysInsideTheRepo() throws Exception {
    assertThat(Run.flotilla("keys", "init", "--repo", repo.toString(), "--keys", keys.toString()).exitCode()).isZero();

    var again = Run.flotilla("keys", "init", "--repo", repo.toString(), "--keys", work.resolve("other").toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("a trust root exists; rotate keys with 'flotilla keys rotate'");

    var inside = Run.flotilla("keys", "rotate", "--repo", repo.toString(), "--keys", repo.resolve("k").toString());
    assertThat(inside.exitCode()).isEqualTo(2);
    assertThat(inside.err().strip()).startsWith("flotilla: keep keys out of the fleet repo").doesNotContain("\n");

    var role = Run.flotilla("keys", "rotate", "--repo", repo.toString(), "--keys", keys.toString(), "--role", "x");
    assertThat(role.exitCode()).isEqualTo(2);
    assertThat(role.err()).contains("no role 'x'; use root, bundle-signer or artifact-signer");
  }

  @Test
  void deviceKeygenWritesTheKeysAndThePublicHalfIntoTheDeviceFile() throws Exception {
    var out = work.resolve("device-keys");
    Files.createDirectories(out);

    var run = Run.flotilla("device", "keygen", "k1", "--repo", repo.toString(), "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.getPosixFilePermissions(out.resolve("k1.pem"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    var text = Files.readString(repo.resolve("tenants/acme/devices/k1.yaml"));
    assertThat(text).contains("# the kiosk by the door").contains("  channel: prod");
    var pem = text.substring(text.indexOf("-----BEGIN PUBLIC KEY-----"), text.indexOf("-----END PUBLIC KEY-----") + 24);
    assertThat(Keys.keyId(Keys.parsePublicPem(pem))).isEqualTo(Keys.keyId(Keys.readPublic(out.resolve("k1.pub.pem"))));
    var parsed = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(text);
    assertThat(Keys.parsePublicPem(parsed.path("spec").path("publicKey").asText())).isNotNull();

    var missing = Run.flotilla("device", "keygen", "nope", "--repo", repo.toString(), "--out", out.toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("find device 'nope': no tenants/*/devices/nope.yaml");
  }
}
