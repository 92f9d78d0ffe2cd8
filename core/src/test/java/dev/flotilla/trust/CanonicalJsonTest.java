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
}
