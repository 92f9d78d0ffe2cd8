package dev.flotilla.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.digest.Digest;
import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.fleet.Kind;
import dev.flotilla.model.Metadata;
import dev.flotilla.model.Operator;
import dev.flotilla.model.OperatorSpec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OperatorTokensTest {
  final AtomicReference<FleetSnapshot> served = new AtomicReference<>(snapshot(
      operator("acme-ops", "acme-token", Set.of("acme")), operator("auditors", "audit-token", null)));
  final OperatorTokens tokens = new OperatorTokens("root-token", served::get);

  @Test
  void theReconcilersOwnTokenSeesEveryTenant() {
    assertThat(tokens.bearer("Bearer root-token")).contains(OperatorScope.all("operator"));
  }

  @Test
  void aTokenGrantedByAnOperatorFileSeesOnlyItsTenants() {
    var scope = tokens.bearer("Bearer acme-token").orElseThrow();
    assertThat(scope.name()).isEqualTo("acme-ops");
    assertThat(scope.sees("acme")).isTrue();
    assertThat(scope.sees("globex")).isFalse();
    assertThat(scope.sees(null)).as("fleet-wide events").isFalse();
    assertThat(tokens.scope("audit-token")).contains(OperatorScope.all("auditors"));
  }

  @Test
  void refusesUnknownTokensAndOtherSchemes() {
    assertThat(tokens.bearer("Bearer nobody")).isEmpty();
    assertThat(tokens.bearer("Basic acme-token")).isEmpty();
    assertThat(tokens.bearer("Bearer ")).isEmpty();
    assertThat(tokens.bearer(null)).isEmpty();
    assertThat(tokens.scope("sha256:" + Digest.sha256("acme-token".getBytes(StandardCharsets.UTF_8)).hex()))
        .as("the stored hash is no token").isEmpty();
  }

  @Test
  void aCommitThatRemovesTheFileRevokesTheToken() {
    assertThat(tokens.scope("acme-token")).isPresent();
    served.set(snapshot());
    assertThat(tokens.scope("acme-token")).isEmpty();
    assertThat(tokens.scope("root-token")).isPresent();
  }

  static Document<Operator> operator(String name, String token, Set<String> tenants) {
    var spec = new OperatorSpec();
    spec.setTokenHash(Digest.sha256(token.getBytes(StandardCharsets.UTF_8)).toString());
    if (tenants == null) {
      spec.setAllTenants(true);
    } else {
      spec.setTenants(new LinkedHashSet<>(tenants));
    }
    var metadata = new Metadata();
    metadata.setName(name);
    var operator = new Operator();
    operator.setMetadata(metadata);
    operator.setSpec(spec);
    return new Document<>("operators/" + name + ".yaml", Kind.OPERATOR, operator, null, new byte[0]);
  }

  @SafeVarargs
  static FleetSnapshot snapshot(Document<Operator>... operators) {
    return new FleetSnapshot(Optional.empty(), Optional.empty(), List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of(), Set.of(), List.of(operators));
  }
}
