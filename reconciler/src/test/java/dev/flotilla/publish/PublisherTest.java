package dev.flotilla.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.bundle.BundleFormat;
import dev.flotilla.bundle.BundlePayloads;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.git.Revision;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.FileSpec;
import dev.flotilla.render.RenderedDevice;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherTest {
  static final KeyPair KEY = Keys.generate();
  static final BundleSigner SIGNER = new BundleSigner(KEY);
  static final Duration TTL = Duration.ofDays(2);
  static final Revision FIRST = new Revision("a".repeat(40), Instant.ofEpochSecond(1_000), "first");
  static final Revision SECOND = new Revision("b".repeat(40), Instant.ofEpochSecond(1_000), "second, same second");

  @TempDir
  Path dir;
  final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  /** The first version signed at the clock's start: its time in milliseconds, later than the commits'. */
  static final long START = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
  BundleDirectory store;
  Publisher publisher;

  @BeforeEach
  void open() throws IOException {
    store = new BundleDirectory(dir);
    publisher = new Publisher(store, SIGNER, clock, TTL);
  }

  @Test
  void refusesAPassWithABundleOverTheCapBeforeWritingAny() throws IOException {
    var big = TestPayloads.bare("k2");
    var file = new FileSpec();
    file.setPath("/etc/big.txt");
    file.setContent("x".repeat(BundleFormat.MAX_BYTES / 4 * 3));
    var state = new DesiredState();
    state.setFiles(List.of(file));
    big.setState(state);

    assertThatThrownBy(() -> publisher.publish(List.of(device("k1", "sha256:1"), RenderedDevice.of(big)), FIRST))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("publish bundle for device 'k2': about ")
        .hasMessageEndingWith(" bytes, over the cap of 16 MiB (16777216 bytes) that agents accept; 'flotilla"
            + " validate' names the file that makes it so");
    assertThat(publisher.all()).isEmpty();
    assertThat(store.bundleFile("k1")).doesNotExist();
  }

  @Test
  void unchangedContentKeepsItsBundleAndVersion() throws IOException {
    var first = publisher.publish(List.of(device("k1", "sha256:1")), FIRST);
    var again = publisher.publish(List.of(device("k1", "sha256:1")), SECOND);

    assertThat(first.changed()).singleElement().satisfies(p -> assertThat(p.version()).isEqualTo(START));
    assertThat(again.changed()).isEmpty();
    assertThat(again.unchanged()).isEqualTo(1);
    assertThat(publisher.get("k1").bundle()).isEqualTo(first.changed().getFirst().bundle());
  }

  @Test
  void changedContentGetsTheLaterOfCommitAndSigningTimeOrThePreviousVersionPlusOne() throws IOException {
    publisher.publish(List.of(device("k1", "sha256:1")), FIRST);
    var next = publisher.publish(List.of(device("k1", "sha256:2")), SECOND);
    var future = Instant.parse("2026-12-01T11:00:00Z");
    var later = publisher.publish(List.of(device("k1", "sha256:3")), new Revision("c".repeat(40), future, "later"));
    clock.advance(Duration.ofSeconds(5));
    var signedLater = publisher.publish(List.of(device("k1", "sha256:4")), FIRST);

    assertThat(next.changed()).singleElement().satisfies(p -> {
      assertThat(p.version()).isEqualTo(START + 1);
      assertThat(p.sourceCommit()).isEqualTo(SECOND.commit());
    });
    assertThat(later.changed()).singleElement()
        .satisfies(p -> assertThat(p.version()).isEqualTo(future.toEpochMilli()));
    assertThat(signedLater.changed()).singleElement()
        .satisfies(p -> assertThat(p.version()).isEqualTo(future.toEpochMilli() + 1));
  }

  @Test
  void bundlePastHalfItsLifetimeIsSignedAgainWithANewVersion() throws IOException {
    publisher.publish(List.of(device("k1", "sha256:1")), FIRST);
    clock.advance(TTL.dividedBy(2).minusSeconds(1));
    assertThat(publisher.publish(List.of(device("k1", "sha256:1")), FIRST).changed()).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    var resigned = publisher.publish(List.of(device("k1", "sha256:1")), FIRST);

    assertThat(resigned.changed()).singleElement().satisfies(p -> {
      assertThat(p.version()).isEqualTo(clock.instant().toEpochMilli());
      assertThat(p.issuedAt()).isEqualTo(clock.instant());
      assertThat(p.expiresAt()).isEqualTo(clock.instant().plus(TTL));
    });
  }

  @Test
  void aStoreRebuiltFromNothingIssuesVersionsAboveEveryEarlierOne(@TempDir Path empty) throws IOException {
    publisher.publish(List.of(device("k1", "sha256:1"), device("k2", "sha256:1")), FIRST);
    publisher.publish(List.of(device("k1", "sha256:1"), device("k2", "sha256:2")), SECOND);
    clock.advance(TTL.dividedBy(2));
    publisher.publish(List.of(device("k1", "sha256:1"), device("k2", "sha256:2")), SECOND);
    var before = publisher.all();
    clock.advance(Duration.ofSeconds(1));

    var rebuilt = new Publisher(new BundleDirectory(empty), SIGNER, clock, TTL);
    rebuilt.publish(List.of(device("k1", "sha256:1"), device("k2", "sha256:2")), SECOND);

    for (var device : List.of("k1", "k2")) {
      assertThat(rebuilt.get(device).version()).as(device).isGreaterThan(before.get(device).version());
    }
  }

  @Test
  void heldBackTenantsDevicesKeepTheirBundlesUntouched() throws IOException {
    var globex = TestPayloads.bare("p1");
    globex.setTenant("globex");
    publisher.publish(List.of(device("k1", "sha256:1"), new RenderedDevice(globex, "sha256:2", null)), FIRST);
    var kept = publisher.get("p1");

    var result = publisher.publish(List.of(device("k1", "sha256:9")), SECOND, java.util.Set.of("globex"));

    assertThat(result.removed()).isEmpty();
    assertThat(result.changed()).extracting(Published::device).containsExactly("k1");
    assertThat(publisher.get("p1")).isSameAs(kept);
    assertThat(store.bundleFile("p1")).exists();
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
        .singleElement().satisfies(p -> assertThat(p.version()).isEqualTo(START + 1));
    try (var files = Files.list(dir.resolve("devices"))) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("k1.json", "k2.json");
    }
  }

  @Test
  void parallelPassWritesTheSameStoreAsASequentialOneByteForByte() throws Exception {
    var renders = IntStream.range(0, 32).mapToObj(i -> RenderedDevice.of(varied(i))).toList();
    var parallel = new BundleDirectory(dir.resolve("parallel"));
    var sequential = new BundleDirectory(dir.resolve("sequential"));

    new Publisher(parallel, SIGNER, clock, TTL).publish(renders, FIRST); // the common pool: every core
    try (var oneThread = new ForkJoinPool(1)) { // a parallel stream run inside a pool uses that pool's one thread
      oneThread.submit(() -> new Publisher(sequential, SIGNER, clock, TTL).publish(renders, FIRST)).get();
    }

    assertThat(Files.readAllBytes(parallel.root().resolve("index.json")))
        .isEqualTo(Files.readAllBytes(sequential.root().resolve("index.json")));
    for (int i = 0; i < renders.size(); i++) {
      var device = renders.get(i).device();
      var bundle = Files.readAllBytes(parallel.bundleFile(device));
      // ECDSA signatures are randomized: the rest is the same bytes, and each signature holds
      var other = Files.readAllBytes(sequential.bundleFile(device));
      assertThat(withoutSignature(bundle)).isEqualTo(withoutSignature(other));
      var envelope = new ObjectMapper().readTree(bundle).path("dsseEnvelope");
      var payload = Base64.getDecoder().decode(envelope.path("payload").asText());
      assertThat(Keys.verify(KEY.getPublic(), BundleFormat.pae(BundleFormat.PAYLOAD_TYPE, payload),
          Base64.getDecoder().decode(envelope.at("/signatures/0/sig").asText()))).isTrue();
      assertThat(new String(payload, UTF_8)).isEqualTo(new String(stampedTheOldWay(varied(i)), UTF_8));
    }
    assertThat(renders.getFirst().payload().getVersion()).isNull(); // the renders themselves are not stamped
  }

  /** What the publisher signed before it stamped bytes: the payload object with its stamps set, encoded. */
  private byte[] stampedTheOldWay(BundlePayload payload) {
    payload.setVersion(START);
    payload.setIssuedAt(clock.instant().atOffset(ZoneOffset.UTC));
    payload.setExpiresAt(clock.instant().plus(TTL).atOffset(ZoneOffset.UTC));
    payload.setSourceCommit(FIRST.commit());
    return BundlePayloads.encode(payload);
  }

  private static byte[] withoutSignature(byte[] bundle) {
    return new String(bundle, UTF_8).replaceFirst("\"sig\":\"[A-Za-z0-9+/=]+\"", "\"sig\":\"\"").getBytes(UTF_8);
  }

  /** A payload with content of its own: sysctl keys, and a file with text that needs escapes. */
  private static BundlePayload varied(int i) {
    var payload = device("k" + i, "").payload();
    var state = new DesiredState();
    state.setSysctl(new TreeMap<>(Map.of("net.ipv4.ip_forward", String.valueOf(i % 2), "vm.k" + i, "x")));
    var file = new FileSpec();
    file.setPath("/etc/motd");
    file.setContent("device " + i + " \u00e9\t\"quoted\"\n");
    state.getFiles().add(file);
    payload.setState(state);
    return payload;
  }

  private static RenderedDevice device(String name, String contentHash) {
    var payload = TestPayloads.bare(name);
    return new RenderedDevice(payload, contentHash, null);
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
