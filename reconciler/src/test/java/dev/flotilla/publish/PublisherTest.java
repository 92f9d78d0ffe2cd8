package dev.flotilla.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.git.Revision;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.render.RenderedDevice;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherTest {
  static final BundleSigner SIGNER = new BundleSigner(Keys.generate());
  static final Duration TTL = Duration.ofDays(2);
  static final Revision FIRST = new Revision("a".repeat(40), Instant.ofEpochSecond(1_000), "first");
  static final Revision SECOND = new Revision("b".repeat(40), Instant.ofEpochSecond(1_000), "second, same second");

  @TempDir
  Path dir;
  final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  BundleDirectory store;
  Publisher publisher;

  @BeforeEach
  void open() throws IOException {
    store = new BundleDirectory(dir);
    publisher = new Publisher(store, SIGNER, clock, TTL);
  }

  @Test
  void unchangedContentKeepsItsBundleAndVersion() throws IOException {
    var first = publisher.publish(List.of(device("k1", "sha256:1")), FIRST);
    var again = publisher.publish(List.of(device("k1", "sha256:1")), SECOND);

    assertThat(first.changed()).singleElement().satisfies(p -> assertThat(p.version()).isEqualTo(1_000));
    assertThat(again.changed()).isEmpty();
    assertThat(again.unchanged()).isEqualTo(1);
    assertThat(publisher.get("k1").bundle()).isEqualTo(first.changed().getFirst().bundle());
  }

  @Test
  void changedContentGetsThePreviousVersionPlusOneOrTheCommitTimeIfLater() throws IOException {
    publisher.publish(List.of(device("k1", "sha256:1")), FIRST);
    var next = publisher.publish(List.of(device("k1", "sha256:2")), SECOND);
    var later = publisher.publish(List.of(device("k1", "sha256:3")),
        new Revision("c".repeat(40), Instant.ofEpochSecond(5_000), "later"));

    assertThat(next.changed()).singleElement().satisfies(p -> {
      assertThat(p.version()).isEqualTo(1_001);
      assertThat(p.sourceCommit()).isEqualTo(SECOND.commit());
    });
    assertThat(later.changed()).singleElement().satisfies(p -> assertThat(p.version()).isEqualTo(5_000));
  }

  @Test
  void bundlePastHalfItsLifetimeIsSignedAgainWithANewVersion() throws IOException {
    publisher.publish(List.of(device("k1", "sha256:1")), FIRST);
    clock.advance(TTL.dividedBy(2).minusSeconds(1));
    assertThat(publisher.publish(List.of(device("k1", "sha256:1")), FIRST).changed()).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    var resigned = publisher.publish(List.of(device("k1", "sha256:1")), FIRST);

    assertThat(resigned.changed()).singleElement().satisfies(p -> {
      assertThat(p.version()).isEqualTo(1_001);
      assertThat(p.issuedAt()).isEqualTo(clock.instant());
      assertThat(p.expiresAt()).isEqualTo(clock.instant().plus(TTL));
    });
  }

  @Test
  void deviceNoLongerRenderedLosesItsBundle() throws IOException {
    publisher.publish(List.of(device("k1", "sha256:1"), device("k2", "sha256:2")), FIRST);
    assertThat(store.bundleFile("k2")).exists();

    var result = publisher.publish(List.of(device("k1", "sha256:1")), SECOND);

    assertThat(result.removed()).containsExactly("k2");
    assertThat(publisher.get("k2")).isNull();
    assertThat(store.bundleFile("k2")).doesNotExist();
    assertThat(new Publisher(new BundleDirectory(dir), SIGNER, clock, TTL).all()).containsOnlyKeys("k1");
  }

  @Test
  void restartedPublisherContinuesFromTheStoreOnDisk() throws IOException {
    var first = publisher.publish(List.of(device("k1", "sha256:1"), device("k2", "sha256:2")), FIRST);

    var restarted = new Publisher(new BundleDirectory(dir), SIGNER, clock, TTL);
    assertThat(restarted.get("k1").bundle()).isEqualTo(Files.readAllBytes(store.bundleFile("k1")))
        .isEqualTo(first.changed().stream().filter(p -> p.device().equals("k1")).findFirst().orElseThrow().bundle());
    assertThat(restarted.publish(List.of(device("k1", "sha256:1"), device("k2", "sha256:2")), SECOND).changed())
        .isEmpty();
    assertThat(restarted.publish(List.of(device("k1", "sha256:9"), device("k2", "sha256:2")), SECOND).changed())
        .singleElement().satisfies(p -> assertThat(p.version()).isEqualTo(1_001));
    try (var files = Files.list(dir.resolve("devices"))) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("k1.json", "k2.json");
    }
  }

  private static RenderedDevice device(String name, String contentHash) {
    var payload = new BundlePayload();
    payload.setApiVersion("flotilla.dev/v1");
    payload.setKind("Bundle");
    payload.setFleet("f");
    payload.setTenant("acme");
    payload.setDevice(name);
    payload.setIdentityHash("sha256:" + "0".repeat(64));
    payload.setRootVersion(1L);
    return new RenderedDevice(payload, contentHash);
  }

  static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
