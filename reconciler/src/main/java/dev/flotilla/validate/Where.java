package dev.flotilla.validate;

import dev.flotilla.fleet.Document;
import dev.flotilla.schema.Location;

/** Formats a place in another file for a message: {@code tenants/acme/devices/k1.yaml:12}. */
final class Where {
  private Where() {}

  static String of(Document<?> document, Object... fieldPath) {
    Location location = document.locate(fieldPath);
    return document.path() + ":" + location.line();
  }

  static String field(Object... fieldPath) {
    var out = new StringBuilder();
    for (var element : fieldPath) {
      if (element instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else if (!String.valueOf(element).matches("[A-Za-z_][A-Za-z0-9_-]*")) {
        out.append("[\"").append(element).append("\"]");
      } else {
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(element);
      }
    }
    return out.toString();
  }
}
