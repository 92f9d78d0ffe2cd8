package dev.flotilla.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.validate.FleetChecksGoldenTest;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the reconciler takes of a commit, on the validate checks' base fleet (tenants acme and globex). */
class AcceptanceTest {
  static final Path BASE = Path.of("src/test/resources/checks/_base");
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  static final FleetValidator VALIDATOR = new FleetValidator(Clock.fixed(NOW, ZoneOffset.UTC));
  static final String PANEL = "tenants/globex/devices/panel-1.yaml";
  static final String KIOSK = "tenants/acme/devices/kiosk-1.yaml";

  @TempDir
  Path fleet;
  FleetSnapshot previous;

  @BeforeEach
  void servedBase() throws IOException {
    FleetChecksGoldenTest.copy(BASE, fleet);
    previous = Acceptance.of(validate(), null, NOW).served();
  }

  FleetValidator.Report validate() throws IOException {
    return VALIDATOR.validate(new DirectoryTree(fleet));
  }

  void replace(String path, String from, String to) throws IOException {
    var file = fleet.resolve(path);
    var text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }

  static Document<?> find(FleetSnapshot snapshot, String path) {
    return snapshot.devices().stream().filter(d -> d.path().equals(path)).findFirst().orElse(null);
  }

  @Test
  void validCommitIsTakenWhole() throws IOException {
    var acceptance = Acceptance.of(validate(), previous, NOW);

    assertThat(acceptance.refused()).isFalse();
    assertThat(acceptance.heldBack()).isEmpty();
    assertThat(acceptance.accepted().devices()).hasSize(4);
    assertThat(acceptance.served().devices()).isEqualTo(acceptance.accepted().devices());
  }

  @Test
  void tenantWithAnErrorKeepsTheDocumentsItWasServed() throws IOException {
    replace(PANEL, "role: kiosk", "role: kiosk\n  colour: blue");
    replace(KIOSK, "store: berlin-01", "store: berlin-02");

    var acceptance = Acceptance.of(validate(), previous, NOW);

    assertThat(acceptance.refused()).isFalse();
    assertThat(acceptance.heldBack()).containsOnlyKeys("globex");
    assertThat(acceptance.heldBack().get("globex")).singleElement().asString().startsWith(PANEL + ":");
    assertThat(acceptance.accepted().devices()).extracting(Document::path).noneMatch(p -> p.contains("globex"));
    assertThat(acceptance.accepted().tenants()).extracting(Document::path).containsExactly("tenants/acme/tenant.yaml");
    assertThat(find(acceptance.served(), PANEL)).as("as served before").isSameAs(find(previous, PANEL));
    assertThat(find(acceptance.served(), KIOSK)).as("acme moves on").isSameAs(find(acceptance.accepted(), KIOSK))
        .isNotSameAs(find(previous, KIOSK));
  }

  @Test
  void tenantNeverServedHasNoDocumentsServed() throws IOException {
    replace(PANEL, "role: kiosk", "role: kiosk\n  colour: blue");

    var acceptance = Acceptance.of(validate(), null, NOW);

    assertThat(acceptance.heldBack()).containsOnlyKeys("globex");
    assertThat(acceptance.served().devices()).extracting(Document::path).noneMatch(p -> p.contains("globex"));
  }

  @Test
  void errorInASharedFileRefusesTheCommit() throws IOException {
    replace("fleet.yaml", "trustRoot:", "colour: blue\n  trustRoot:");
    replace(PANEL, "role: kiosk", "role: kiosk\n  colour: blue");

    var acceptance = Acceptance.of(validate(), previous, NOW);

    assertThat(acceptance.refused()).isTrue();
    assertThat(acceptance.fleetWide()).singleElement().asString().startsWith("fleet.yaml:");
    assertThat(acceptance.accepted()).isNull();
  }

  @Test
  void newDeviceNamedLikeOneAHeldBackTenantStillServesHoldsBackItsTenantToo() throws IOException {
    // acme renames kiosk-1 to kiosk-9 in a commit that also breaks acme; globex takes the name kiosk-1
    var kiosk = Files.readString(fleet.resolve(KIOSK));
    Files.delete(fleet.resolve(KIOSK));
    Files.writeString(fleet.resolve("tenants/acme/devices/kiosk-9.yaml"), kiosk.replace("kiosk-1", "kiosk-9"));
    replace("tenants/acme/tenant.yaml", "kind: Tenant", "kind: Tenant\ncolour: blue");
    Files.writeString(fleet.resolve("tenants/globex/devices/kiosk-1.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Device
        metadata: { name: kiosk-1, tenant: globex }
        spec:
          channel: prod
          identity: { hash: "sha256:%s" }
        """.formatted("1".repeat(64)));
    assertThat(validate().errors()).as("the commit alone has no clash").isEqualTo(1);

    var acceptance = Acceptance.of(validate(), previous, NOW);

    assertThat(acceptance.refused()).isFalse();
    assertThat(acceptance.heldBack()).containsOnlyKeys("acme", "globex");
    assertThat(acceptance.heldBack().get("globex")).singleElement().asString()
        .contains("device name 'kiosk-1' is also used by '" + KIOSK + "'");
    assertThat(acceptance.accepted().devices()).isEmpty();
    assertThat(find(acceptance.served(), KIOSK)).isSameAs(find(previous, KIOSK));
    assertThat(find(acceptance.served(), PANEL)).isSameAs(find(previous, PANEL));
  }
}
