package dev.flotilla.schema;

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
    com.fasterxml.jackson.core.JsonLocation location;
    try {
      location = JsonNodes.tokenStreamLocationOf(node);
    } catch (IllegalArgumentException e) {
      return Location.START; // a tree read without locations, such as JSON from the network
    }
    return location == null || location.getLineNr() < 1
        ? Location.START
        : new Location(location.getLineNr(), Math.max(1, location.getColumnNr()));
  }
}
