package dev.flotilla.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.git.Revision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServedGrantsTest {
  static final Revision GOOD = new Revision("a".repeat(40), Instant.ofEpochSecond(1_000), "good");

  static Served previous(Map<String, Served.ArtifactGrant> grants) {
    return new Served(GOOD, Map.of(), null, List.of(), grants);
  }

  @Test
  void heldBackTenantMayStillDownloadWhatItWasGranted() {
    var previous = previous(Map.of("aa", new Served.ArtifactGrant(null, 10),
        "bb", new Served.ArtifactGrant(Set.of("acme", "globex"), 20)));

    var grants = ServedGrants.of(List.of(), previous, Set.of("acme"));

    assertThat(grants).containsOnlyKeys("aa", "bb");
    assertThat(grants.get("aa").tenants()).containsExactly("acme");
    assertThat(grants.get("bb")).isEqualTo(new Served.ArtifactGrant(Set.of("acme"), 20));
  }

  @Test
  void nothingIsKeptForTenantsThatMoveOn() {
    var previous = previous(Map.of("bb", new Served.ArtifactGrant(Set.of("globex"), 20)));

    assertThat(ServedGrants.of(List.of(), previous, Set.of("acme"))).isEmpty();
    assertThat(ServedGrants.of(List.of(), previous, Set.of())).isEmpty();
  }
}
