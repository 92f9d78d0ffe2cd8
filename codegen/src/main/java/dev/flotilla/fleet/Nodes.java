package dev.flotilla.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.utils.JsonNodes;

/** Where a node of a location-aware tree sits in its file. */
public final class Nodes {
  private Nodes() {}

  /** The node's line and column; the start of the file when the node is missing or carries no location. */
  public static Location location(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return Location.START;
    }
    var location = JsonNodes.tokenStreamLocationOf(node);
    return location == null || location.getLineNr() < 1
        ? Location.START
        : new Location(location.getLineNr(), Math.max(1, location.getColumnNr()));
  }
}
