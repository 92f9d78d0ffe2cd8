package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.digest.Digest;
import dev.flotilla.trust.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler over HTTPS on loopback with an artifact store: a device downloads a signed artifact of its tenant
 * that 'flotilla artifact add' stored, and a commit with a badly signed artifact is refused whole while the last
 * good bundles and artifacts stay served. No agents run: the requests are the device's own, signed with its key.
 */
class ArtifactServingIT {
  static final String KIOSK = "kiosk-berlin-01-a";
  static final String MENU = "menu-paris-01-a";
  @TempDir
  Path work;
  LiveFleet fleet;
  Path blob;
  String hex;

  @BeforeEach
  void start() throws Exception {
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    fleet.enrol(List.of(KIOSK, MENU));
    blob = work.resolve("kiosk-ui-1.6.0");
    Files.write(blob, "kiosk ui build 1.6.0\n".repeat(5000).getBytes());
    hex = Digest.sha256(blob).hex();
    var added = Run.flotilla("artifact", "add", blob.toString(), "--name", "kiosk-ui", "--version", "1.6.0",
        "--tenant", "acme-retail", "--url", "https://artifacts.example.com/kiosk-ui-1.6.0", "--store",
        fleet.artifactStore().toString(), "--keys", fleet.keys.toString(), "--repo", fleet.repo.toString());
    assertThat(added.err()).isEmpty();
    fleet.commit("Enrol two devices, add kiosk-ui 1.6.0");
    fleet.startReconciler(Duration.ofSeconds(1));
    assertThat(fleet.server.reconciler().status().ready()).as(fleet.server.reconciler().status().message()).isTrue();
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
  }

  java.net.http.HttpResponse<byte[]> get(String path, String device, PrivateKey key) throws Exception {
    return new DeviceClient(fleet.server.serverCertificate(), fleet.server.address().getPort()).get(path, device, key);
  }

  PrivateKey key(String device) throws Exception {
    return Keys.readPrivate(work.resolve("devices").resolve(device).resolve("device.pem"));
  }

  @Test
  void servesStoredArtifactToDevicesOfItsTenantOnly() throws Exception {
    var response = get("/v1/artifacts/" + hex, KIOSK, key(KIOSK));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(Files.readAllBytes(blob));
    assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(Files.size(blob));

    assertThat(get("/v1/artifacts/" + hex, MENU, key(MENU)).statusCode()).as("another tenant").isEqualTo(403);
    assertThat(get("/v1/artifacts/" + hex, KIOSK, Keys.generate().getPrivate()).statusCode()).as("bad key")
        .isEqualTo(401);
    assertThat(get("/v1/artifacts/" + hex, "kiosk-berlin-02-a", key(KIOSK)).statusCode()).as("unclaimed")
        .isEqualTo(401);
    assertThat(get("/v1/artifacts/" + hex, KIOSK, null).statusCode()).as("no headers").isEqualTo(401);
    assertThat(get("/v1/artifacts/" + "0".repeat(64), KIOSK, key(KIOSK)).statusCode()).as("not listed")
        .isEqualTo(404);
  }

  @Test
  void servesTheSbomItsArtifactNames() throws Exception {
    var sbom = Files.readString(fleet.repo.resolve("artifacts/kiosk-ui/1.6.0.yaml")).lines()
        .dropWhile(l -> !l.equals("  sbom:")).skip(1).findFirst().orElseThrow().replace("    digest: sha256:", "");

    var response = get("/v1/artifacts/" + sbom, KIOSK, key(KIOSK));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Digest.sha256(response.body()).hex()).isEqualTo(sbom);
    assertThat(new String(response.body())).contains("\"bomFormat\" : \"CycloneDX\"");
  }

  @Test
  void listedDigestMissingFromTheStoreIs404() throws Exception {
    var template = Files.readString(fleet.repo.resolve("artifacts/kiosk-ui/1.4.0.yaml")).lines()
        .filter(l -> l.startsWith("  digest: ")).findFirst().orElseThrow().replace("  digest: sha256:", "");

    assertThat(get("/v1/artifacts/" + template, KIOSK, key(KIOSK)).statusCode()).isEqualTo(404);
  }

  @Test
  void badlySignedArtifactRefusesTheCommitAndKeepsServingTheLastGood() throws Exception {
    var good = fleet.server.reconciler().status().good().commit();
    var before = fleet.served(KIOSK);
    var file = fleet.repo.resolve("artifacts/kiosk-ui/1.4.0.yaml");
    Files.writeString(file, Files.readString(file).replace("  size: 126976", "  size: 126977"));
    var bad = fleet.commit("Change a signed artifact's size");
    fleet.server.wakeUp();

    assertThat(fleet.awaitSeen(bad, Duration.ofSeconds(30))).isTrue();
    var status = fleet.server.reconciler().status();
    assertThat(status.ready()).isFalse();
    assertThat(status.reason()).isEqualTo("InvalidCommit");
    assertThat(status.message()).contains("artifacts/kiosk-ui/1.4.0.yaml:").contains("the signature does not match")
        .contains("used by tenants/acme-retail/policies/kiosk.yaml:");
    assertThat(status.good().commit()).isEqualTo(good);
    assertThat(fleet.served(KIOSK)).isEqualTo(before);
    assertThat(get("/v1/devices/" + KIOSK + "/bundle", KIOSK, key(KIOSK)).statusCode()).isEqualTo(200);
    assertThat(get("/v1/artifacts/" + hex, KIOSK, key(KIOSK)).statusCode()).isEqualTo(200);
  }
}
