package dev.flotilla.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.utils.JsonNodes;
import dev.flotilla.schema.DocumentException;
import dev.flotilla.schema.Location;
import dev.flotilla.schema.YamlReader;

/**
 * One resource read from a fleet repo: its path, kind, tenant (null for fleet-wide kinds), the bound model object,
 * and its source bytes, from which {@link #locate} finds the line of any field.
 *
 * <p>The location-aware tree is built again only when a location is asked for, which happens when a problem is
 * reported: keeping ten thousand trees alive would cost more memory and garbage collection than the whole parse.
 */
public final class Document<T> {
  private static final YamlReader READER = new YamlReader();

  private final String path;
  private final Kind kind;
  private final T resource;
  private final String tenant;
  private final byte[] source;
  private volatile JsonNode tree;

  public Document(String path, Kind kind, T resource, String tenant, byte[] source) {
    this.path = path;
    this.kind = kind;
    this.resource = resource;
    this.tenant = tenant;
    this.source = source;
  }

  public String path() {
    return path;
  }

  public Kind kind() {
    return kind;
  }

  public T resource() {
    return resource;
  }

  /** The tenant that owns the resource, or null for the fleet, its trust root and fleet-wide artifacts. */
  public String tenant() {
    return tenant;
  }

  /**
   * The location of the field at {@code path} (field names and list indexes), or of its deepest existing parent
   * when the field is absent.
   */
  public Location locate(Object... path) {
    var node = tree();
    if (node == null) {
      return Location.UNKNOWN;
    }
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

  private JsonNode tree() {
    var current = tree;
    if (current == null && source != null) {
      try {
        current = READER.read(source);
        tree = current;
      } catch (DocumentException e) {
        return null;
      }
    }
    return current;
  }

  @Override
  public String toString() {
    return kind.displayName() + " " + path;
  }
}
