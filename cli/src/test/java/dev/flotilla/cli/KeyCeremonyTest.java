package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.cli.keys.KeyRing;
import dev.flotilla.cli.keys.RootCeremony;
import dev.flotilla.model.KeyRole;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2-of-3 root key ceremony with the keys held apart: init, a proposal replacing one root key, holders signing
 * one at a time, one signature short refused, then accepted and followed by the verifier agents run.
 */
class KeyCeremonyTest {
  @TempDir
  Path work;
  Path repo;
  Path keys;
  Path proposal;

  @BeforeEach
  void fleet() throws Exception {
    repo = work.resolve("fleet");
    keys = work.resolve("keys");
    proposal = work.resolve("root-v2.json");
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("fleet.yaml"), "apiVersion: flotilla.dev/v1\nkind: Fleet\nmetadata:\n  name: f1\n"
        + "spec:\n  trustRoot: trust/root.json\n");
    var init = Run.flotilla("keys", "init", "--repo", repo.toString(), "--keys", keys.toString(), "--root-keys", "3",
        "--threshold", "2");
    assertThat(init.err()).isEmpty();
    assertThat(init.out()).contains("2 of 3 root keys sign each new version")
        .contains("root key 3: " + keys.resolve("root-holder-3"));
  }

  @Test
  void twoOfThreeRotationIsRefusedOneShortThenAcceptedAndFollowedByAgents() throws Exception {
    var v1 = KeyRing.read(repo);
    assertThat(TrustRoots.keys(v1, KeyRole.ROOT)).hasSize(3);
    assertThat(TrustRoots.threshold(v1, KeyRole.ROOT)).isEqualTo(2);
    var fourth = Keys.generate();
    Keys.writePublic(work.resolve("holder-4.pub.pem"), fourth.getPublic());
    var propose = Run.flotilla("keys", "rotate", "--repo", repo.toString(), "--propose", proposal.toString(),
        "--root-key", holderPub(1), "--root-key", holderPub(2), "--root-key", work.resolve("holder-4.pub.pem")
            .toString(), "--threshold", "2");
    assertThat(propose.err()).isEmpty();
    assertThat(RootCeremony.read(proposal).getSignatures()).isEmpty();

    var first = sign(1);
    assertThat(first.out()).contains("not enough yet: verify trust root version 2: 1 valid signature(s) of the old"
        + " root's root keys, 2 needed");
    var refused = Run.flotilla("keys", "rotate", "--repo", repo.toString(), "--accept", proposal.toString());
    assertThat(refused).isEqualTo(new Run(1, "", "flotilla: accept '" + proposal + "': verify trust root version 2:"
        + " 1 valid signature(s) of the old root's root keys, 2 needed; collect more signatures with 'flotilla keys"
        + " sign-root'\n"));
    assertThat(KeyRing.read(repo).getSigned().getVersion()).isEqualTo(1L);

    assertThat(sign(2).out()).contains("enough signatures");
    var accepted = Run.flotilla("keys", "rotate", "--repo", repo.toString(), "--accept", proposal.toString());
    assertThat(accepted.err()).isEmpty();
    var v2 = KeyRing.read(repo);
    assertThat(v2.getSigned().getVersion()).isEqualTo(2L);

    var agent = new RootVerifier(Clock.systemUTC());
    assertThat(agent.update(agent.trustInitial(v1), List.of(v2)).getSigned().getVersion()).isEqualTo(2L);
    assertThat(Run.flotilla("validate", repo.toString()).exitCode()).isZero();
  }

  @Test
  void newKeysAloneAreNotEnough() throws Exception {
    var fourth = Keys.generate();
    var fifth = Keys.generate();
    var ceremony = new RootCeremony(Clock.systemUTC());
    var v1 = KeyRing.read(repo);
    var proposed = ceremony.propose(v1, java.time.Duration.ofDays(30), List.of(fourth.getPublic(),
        fifth.getPublic()), 2);
    var signed = RootCeremony.sign(v1, RootCeremony.sign(v1, proposed, fourth.getPrivate()), fifth.getPrivate());
    var oneOld = RootCeremony.sign(v1, signed, Keys.readPrivate(RootCeremony.holder(keys, 1).resolve("root.pem")));

    assertThatThrownBy(() -> ceremony.accept(v1, oneOld)).isInstanceOf(TrustException.class)
        .hasMessage("verify trust root version 2: 1 valid signature(s) of the old root's root keys, 2 needed");
    var twoOld = RootCeremony.sign(v1, oneOld, Keys.readPrivate(RootCeremony.holder(keys, 3).resolve("root.pem")));
    assertThat(ceremony.accept(v1, twoOld).getSigned().getVersion()).isEqualTo(2L);
  }

  @Test
  void refusesAKeyThatIsNoRootKey() throws Exception {
    Keys.writePrivate(work.resolve("stranger.pem"), Keys.generate().getPrivate());
    Run.flotilla("keys", "rotate", "--repo", repo.toString(), "--propose", proposal.toString());

    var run = Run.flotilla("keys", "sign-root", "--repo", repo.toString(), "--key", work.resolve("stranger.pem")
        .toString(), "--proposal", proposal.toString());

    assertThat(run).isEqualTo(new Run(1, "", "flotilla: sign trust root version 2: the key is not a root key of"
        + " version 1 or of the proposal; pass the root.pem of a root key holder\n"));
    assertThat(RootCeremony.read(proposal).getSignatures()).isEmpty();
  }

  private String holderPub(int i) {
    return RootCeremony.holder(keys, i).resolve("root.pub.pem").toString();
  }

  private Run sign(int holder) {
    return Run.flotilla("keys", "sign-root", "--repo", repo.toString(), "--key",
        RootCeremony.holder(keys, holder).resolve("root.pem").toString(), "--proposal", proposal.toString());
  }
}
