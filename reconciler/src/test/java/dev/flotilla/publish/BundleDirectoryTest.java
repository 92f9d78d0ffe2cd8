package dev.flotilla.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.git.Revision;
import dev.flotilla.model.DesiredState;
import dev.flotilla.render.RenderedDevice;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store whose bundle files are out of step with its index is signed again on restart, above what was served. */
class BundleDirectoryTest {
  static final Revision FIRST = new Revision("a".repeat(40), Instant.ofEpochSecond(1_000), "first");
  static final Revision SECOND = new Revision("b".repeat(40), Instant.ofEpochSecond(1_000), "second");
  final BundleSigner signer = new BundleSigner(Keys.generate());
  final Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
  /** The version of a first bundle signed at the clock's time: that time in milliseconds. */
  static final long START = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();

  @TempDir
  Path dir;

  @Test
  void aBundleNewerThanTheIndexOrTornIsSignedAgainWithAHigherVersion() throws IOException {
    var store = new BundleDirectory(dir);
    var publisher = new Publisher(store, signer, clock, Duration.ofDays(7));
    publisher.publish(List.of(device("k1", "one"), device("k2", "one"), device("k3", "one")), FIRST);
    // a pass that wrote k1's new bundle and then failed before the index: the index still says START
    var newer = new Publisher(new BundleDirectory(dir.resolve("scratch")), signer, clock, Duration.ofDays(7));
    newer.publish(List.of(device("k1", "one")), FIRST);
    newer.publish(List.of(device("k1", "two")), SECOND);
    Files.write(store.bundleFile("k1"), newer.get("k1").bundle());
    // a crash that left k2's file empty
    Files.write(store.bundleFile("k2"), new byte[0]);

    var restarted = new Publisher(new BundleDirectory(dir), signer, clock, Duration.ofDays(7));
    assertThat(restarted.get("k1").version()).isEqualTo(START + 1);
    assertThat(restarted.get("k1").contentHash()).isEmpty();
    assertThat(restarted.get("k2").version()).isEqualTo(START + 1);
    assertThat(restarted.get("k3").version()).isEqualTo(START);

    var result = restarted.publish(List.of(device("k1", "one"), device("k2", "one"), device("k3", "one")), FIRST);
    assertThat(result.changed()).extracting(Published::device).containsExactlyInAnyOrder("k1", "k2");
    assertThat(restarted.get("k1").version()).isEqualTo(START + 2);
    assertThat(restarted.get("k2").version()).isEqualTo(START + 2);
    assertThat(restarted.get("k3").version()).isEqualTo(START);
  }

  private static RenderedDevice device(String name, String tag) {
    var payload = TestPayloads.bare(name);
    var state = new DesiredState();
    state.setSysctl(new TreeMap<>(Map.of("vm.tag", tag)));
    payload.setState(state);
    return RenderedDevice.of(payload);
  }
}
