package dev.flotilla.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.model.HostSummary;

/**
 * Agents send only the host fields that changed (schemas/status-report.yaml, {@code host}); this puts a device's
 * picture back together. Pure.
 */
final class HostMerge {
  private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .serializationInclusion(JsonInclude.Include.NON_NULL).build();

  private HostMerge() {}

  /**
   * {@code known} with each field {@code changes} carries replaced whole (a list too); either may be null. An empty
   * list counts as absent: the generated type cannot tell the two apart.
   */
  static HostSummary merge(HostSummary known, HostSummary changes) {
    if (known == null || changes == null) {
      return changes == null ? known : changes;
    }
    var merged = (ObjectNode) JSON.valueToTree(known);
    var changed = (ObjectNode) JSON.valueToTree(changes);
    if (changed.path("filesystems").isEmpty()) {
      changed.remove("filesystems");
    }
    merged.setAll(changed);
    return JSON.convertValue(merged, HostSummary.class);
  }
}
