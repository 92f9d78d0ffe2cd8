package dev.flotilla.claim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.schema.YamlReader;
import dev.flotilla.trust.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Device file of a claim holds what the device said about itself as data: whatever its host name, OS and
 * architecture, the file reads back as exactly the granted name, tenant, labels and fields, the facts as annotations,
 * and nothing else. The pending file on the claims branch reads back as the same claim.
 */
class DeviceFileTest {
  static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");
  static final String PEM = Keys.publicPem(Keys.generate().getPublic());

  static Stream<String> hostile() {
    return Stream.of("kiosk\nmetadata:\n  labels:\n    role: pos\n#", "kiosk\nspec:\n  state:\n    files: []",
        "kiosk\nsurprise: 1", "x\u0085metadata: {labels: {role: pos}}", "x\u2028spec: {}", "a # b", "---",
        "\"'\\", "x".repeat(10_000), "nul\u0000esc\u001b", "caf\u00e9 \ud83d\udea2", "tab\tline\r\n", "");
  }

  static PendingClaim claim(String fact) {
    return new PendingClaim("c0123456789abcdef0123", "acme-retail", "kiosk-1", "berlin", "canary",
        Map.of("store", "berlin-01"), "sha256:" + "a".repeat(64), PEM, fact, fact, fact, null, AT);
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void deviceFileHoldsTheFactsAsDataAndNothingElse(String fact) throws Exception {
    var text = DeviceFile.text(claim(fact), AT);

    var expected = new ObjectMapper().createObjectNode().put("apiVersion", "flotilla.dev/v1").put("kind", "Device");
    var metadata = expected.putObject("metadata").put("name", "kiosk-1").put("tenant", "acme-retail");
    metadata.putObject("labels").put("store", "berlin-01");
    metadata.putObject("annotations").put(DeviceFile.HOSTNAME, fact).put(DeviceFile.OS, fact)
        .put(DeviceFile.ARCHITECTURE, fact);
    var spec = expected.putObject("spec").put("channel", "canary");
    spec.putObject("identity").put("hash", "sha256:" + "a".repeat(64)).put("claimedAt", "2026-12-07T10:00:00Z")
        .put("claimToken", "berlin");
    spec.put("publicKey", PEM);
    assertThat(new YamlReader().read(text.getBytes(StandardCharsets.UTF_8))).as(text).isEqualTo(expected);
    assertThat(text.lines().filter(l -> l.startsWith("#")).toList()).hasSize(2)
        .allMatch(l -> l.startsWith("# yaml-language-server: ") || l.startsWith("# Enrolled by a claim: "));
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void pendingFileReadsBackAsTheSameClaim(String fact) throws Exception {
    var claim = claim(fact);

    assertThat(PendingClaim.parse(claim.toYaml().getBytes(StandardCharsets.UTF_8))).isEqualTo(claim);
  }

  @org.junit.jupiter.api.Test
  void deviceFileWithoutFactsHasNoAnnotations() throws Exception {
    var claim = new PendingClaim("c0123456789abcdef0123", "acme-retail", "kiosk-1", "berlin", "prod", Map.of(),
        "sha256:" + "b".repeat(64), PEM, null, null, null, null, AT);

    var tree = (ObjectNode) new YamlReader().read(DeviceFile.text(claim, AT).getBytes(StandardCharsets.UTF_8));

    assertThat(tree.path("metadata").has("annotations")).isFalse();
    assertThat(tree.path("metadata").has("labels")).isFalse();
  }
}
