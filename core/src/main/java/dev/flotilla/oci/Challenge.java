package dev.flotilla.oci;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** A {@code WWW-Authenticate} header: the scheme (Basic or Bearer) and its parameters (realm, service, scope). */
record Challenge(String scheme, Map<String, String> parameters) {
  private static final Pattern PARAMETER = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");

  static Challenge parse(String header) {
    if (header == null || header.isBlank()) {
      return new Challenge("", Map.of());
    }
    var space = header.indexOf(' ');
    var scheme = space < 0 ? header : header.substring(0, space);
    var parameters = new LinkedHashMap<String, String>();
    var matcher = PARAMETER.matcher(space < 0 ? "" : header.substring(space + 1));
    while (matcher.find()) {
      parameters.put(matcher.group(1).toLowerCase(java.util.Locale.ROOT), matcher.group(2));
    }
    return new Challenge(scheme, Map.copyOf(parameters));
  }

  boolean bearer() {
    return scheme.equalsIgnoreCase("Bearer");
  }

  boolean basic() {
    return scheme.equalsIgnoreCase("Basic");
  }
}
