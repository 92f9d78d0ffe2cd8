package dev.flotilla.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.utils.JsonNodes;

/**
 * One resource read from a fleet repo: its path, its kind, the bound model object and the location-aware tree it
 * was bound from, so later checks can point at the line of any field.
 */
public record Document<T>(String path, Kind kind, T resource, JsonNode tree) {

  /**
   * The location of the field at {@code path} (field names and list indexes), or of its deepest existing parent
   * when the field is absent.
   */
  public Location locate(Object... path) {
    var node = tree;
    for (var element : path) {
      var next = element instanceof Integer index ? node.path(index) : node.path(String.valueOf(element));
      if (next.isMissingNode()) {
        break;
      }
      node = next;
    }
    var location = JsonNodes.tokenStreamLocationOf(node);
    return location == null || location.getLineNr() < 1
        ? Location.START
        : new Location(location.getLineNr(), Math.max(1, location.getColumnNr()));
  }
}
