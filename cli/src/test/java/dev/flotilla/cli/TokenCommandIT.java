package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code flotilla token create} on a Git checkout of the template fleet: exit code, stdout and stderr together. */
class TokenCommandIT {
  @TempDir
  Path repo;
  TemplateCheckout checkout;

  @BeforeEach
  void checkout() throws Exception {
    checkout = TemplateCheckout.commit(repo);
  }

  Run create(List<String> options) {
    var args = new ArrayList<>(List.of("token", "create", "--repo", repo.toString(), "--tenant", "acme-retail"));
    args.addAll(options);
    return Run.flotilla(args.toArray(String[]::new));
  }

  static Stream<Arguments> refusedTokens() {
    return Stream.of(
        Arguments.of(List.of("--name", "t", "--max-uses", "0"),
            "create claim token 't': --max-uses 0: must have a minimum value of 1"),
        Arguments.of(List.of("--name", "t", "--channel", "beta"),
            "create claim token 't': --channel 'beta': 'beta' is not one of dev, canary, prod"),
        Arguments.of(List.of("--name", "t", "--labels", "Bad Key!=x"),
            "create claim token 't': --labels: 'Bad Key!' is not a valid label key; a label key, optionally prefixed"
                + " with a DNS subdomain and '/', as Kubernetes label keys"),
        Arguments.of(List.of("--name", "UPPER"),
            "create claim token 'UPPER': --name 'UPPER': 'UPPER' is not a valid name; a DNS-label name, as"
                + " Kubernetes uses for object names"),
        Arguments.of(List.of("--name", "t", "--ttl", "0s"),
            "create claim token: --ttl '0s' must be more than zero, or the token expires as it is made; such as 24h"),
        Arguments.of(List.of("--name", "t", "--ttl", "-1h"),
            "create claim token: --ttl '-1h' must be more than zero, or the token expires as it is made; such as 24h"),
        Arguments.of(List.of("--name", "t", "--ttl", "soon"),
            "create claim token: --ttl 'soon' is not a duration; use a number and a unit, such as 30m, 24h or 7d"));
  }

  @ParameterizedTest
  @MethodSource("refusedTokens")
  void refusesATokenThatCouldNeverEnrolAndCommitsNothing(List<String> options, String message) throws Exception {
    var head = checkout.head();

    var run = create(options);

    assertThat(run).isEqualTo(new Run(2, "", "flotilla: " + message + "\n"));
    checkout.assertUntouchedSince(head);
    try (var tokens = Files.list(repo.resolve("tenants/acme-retail/claim-tokens"))) {
      assertThat(tokens.map(p -> p.getFileName().toString())).containsExactly("hamburg-02-install.yaml");
    }
  }

  @Test
  void createsAValidTokenAndCommitsIt() throws Exception {
    var head = checkout.head();

    var run = create(List.of("--name", "berlin-03", "--channel", "canary", "--labels", "store=berlin-03",
        "--max-uses", "2", "--ttl", "2h"));

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("created claim token 'berlin-03' for tenant 'acme-retail': 2 use(s), expires ");
    assertThat(checkout.head()).isNotEqualTo(head);
    assertThat(repo.resolve("tenants/acme-retail/claim-tokens/berlin-03.yaml")).isRegularFile();
    assertThat(Run.flotilla("validate", repo.toString(), "--strict").exitCode()).isZero();
  }

  @Test
  void anErrorTheFleetHadAlreadyDoesNotStopANewToken() throws Exception {
    var existing = repo.resolve("tenants/acme-retail/claim-tokens/hamburg-02-install.yaml");
    Files.writeString(existing, Files.readString(existing).replaceFirst("maxUses: \\d+", "maxUses: 0"));
    checkout.git().commit().setAll(true).setMessage("break a token").setAuthor("t", "t@example.org")
        .setCommitter("t", "t@example.org").call();
    assertThat(Run.flotilla("validate", repo.toString()).exitCode()).isEqualTo(1);

    var run = create(List.of("--name", "berlin-03"));

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(repo.resolve("tenants/acme-retail/claim-tokens/berlin-03.yaml")).isRegularFile();
  }
}
