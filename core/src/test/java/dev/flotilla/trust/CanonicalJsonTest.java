package dev.flotilla.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  @Test
  void matchesPythonSortedCompactJsonByteForByte() throws Exception {
    var node = new ObjectMapper().readTree(
        "{\"b\": [1, {\"z\": \"\u00e9\\n\\t\\\"\\\\\", \"a\": null}], \"a\": \"\\u0001x\", \"\u00c4\": true, \"A\": -12}");

    // python3: json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assertThat(new String(CanonicalJson.encode(node), StandardCharsets.UTF_8))
        .isEqualTo("{\"A\":-12,\"a\":\"\\u0001x\",\"b\":[1,{\"a\":null,\"z\":\"\u00e9\\n\\t\\\"\\\\\"}],\"\u00c4\":true}");
  }

  @Test
  void leavesNullFieldsOfModelObjectsOut() {
    var key = new dev.flotilla.model.TrustKey();
    key.setId("ab");

    assertThat(new String(CanonicalJson.encode(key), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"ab\"}");
  }

  @Test
  void writesModelObjectsWithTheSameBytesAsTheTreeWriter() {
    var payload = new dev.flotilla.model.BundlePayload();
    payload.setApiVersion("flotilla.dev/v1");
    payload.setKind("Bundle");
    payload.setDevice("k\u00e9-1");
    payload.setVersion(1764620000L);
    payload.setIssuedAt(java.time.OffsetDateTime.parse("2026-12-01T10:00:00Z"));
    payload.setDriftModes(new java.util.LinkedHashMap<>(java.util.Map.of(
        "sysctl:z", dev.flotilla.model.DriftMode.REPORT, "file:/a", dev.flotilla.model.DriftMode.IGNORE)));
    var state = new dev.flotilla.model.DesiredState();
    var file = new dev.flotilla.model.FileSpec();
    file.setPath("/etc/motd");
    file.setContent("tab\there \u0001 \u001f \"quoted\" back\\slash \u00c4 \u20ac \ud83d\ude80\n\r\b\f");
    file.setMode("0644");
    state.getFiles().add(file);
    state.setSysctl(new java.util.LinkedHashMap<>(java.util.Map.of("vm.b", "1", "net.a", "0")));
    payload.setState(state);

    var tree = CanonicalJson.encode((com.fasterxml.jackson.databind.JsonNode) CanonicalJson.MAPPER.valueToTree(payload));
    assertThat(new String(CanonicalJson.encode(payload), StandardCharsets.UTF_8))
        .isEqualTo(new String(tree, StandardCharsets.UTF_8));
  }

  @Test
  void mergedObjectsAreTheEncodingOfTheirUnion() throws Exception {
    var json = new ObjectMapper();
    var whole = json.readTree("{\"m\": {\"x\": [1, \"}],{\\\"\"]}, \"a\": \"q\\\"},\", \"zz\": null,"
        + " \"k\": [{\"b\": 1}], \"c\": 2.5, \"\u00e9\": true}");
    var left = whole.deepCopy();
    var right = json.createObjectNode();
    for (var key : new String[] {"a", "k", "\u00e9"}) {
      right.set(key, ((com.fasterxml.jackson.databind.node.ObjectNode) left).remove(key));
    }

    assertThat(new String(CanonicalJson.merge(CanonicalJson.encode(left), CanonicalJson.encode(right)),
        StandardCharsets.UTF_8)).isEqualTo(new String(CanonicalJson.encode(whole), StandardCharsets.UTF_8));
    assertThat(CanonicalJson.merge("{}".getBytes(), CanonicalJson.encode(right)))
        .isEqualTo(CanonicalJson.encode(right));
    assertThat(CanonicalJson.merge(CanonicalJson.encode(left), "{}".getBytes())).isEqualTo(CanonicalJson.encode(left));
  }

  @Test
  void refusesToMergeAKeyThatIsInBoth() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CanonicalJson.merge("{\"a\":1,\"b\":2}".getBytes(), "{\"b\":3}".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("canonical JSON: merge objects: key 'b' is in both");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalJson.merge("[1]".getBytes(), "{}".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("canonical JSON: merge objects: not a JSON object");
  }

  @Test
  void flatObjectsHaveTheTreeWritersBytes() throws Exception {
    var members = new java.util.TreeMap<String, Object>(java.util.Map.of("version", 1764620000L, "n", 7,
        "commit", "ab\"c\u0001\u00e9", "at", "2026-12-01T10:00:00Z"));

    assertThat(CanonicalJson.encodeFlat(members))
        .isEqualTo(CanonicalJson.encode(new ObjectMapper().valueToTree(members)));
  }

  @Test
  void refusesAFlatMemberThatIsNeitherStringNorWholeNumber() {
    var members = new java.util.TreeMap<String, Object>(java.util.Map.of("ratio", 0.5));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalJson.encodeFlat(members))
        .hasMessage("canonical JSON: flat object: member 'ratio' is neither a string nor a whole number");
  }
}
