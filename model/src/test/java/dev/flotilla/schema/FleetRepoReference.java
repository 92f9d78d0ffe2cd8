package dev.flotilla.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flotilla.fleet.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Writes {@code docs/fleet-repo.md}, the fleet repo reference, from the schemas alone: where each kind lives, then
 * every field of every kind (its type, whether it is required, its description and constraints), the object types
 * the kinds share, and the value types of {@code types.yaml}. Deterministic: the same schemas give the same text.
 * {@link SchemaCopiesTest} fails when the committed reference differs from what this writes.
 */
final class FleetRepoReference {
  private static final String TYPES = "types.yaml";

  private final Path schemas;
  private final YAMLMapper yaml = new YAMLMapper();
  private final Map<String, JsonNode> files = new HashMap<>();
  private final Set<String> shared = new LinkedHashSet<>();

  private FleetRepoReference(Path schemas) {
    this.schemas = schemas;
  }

  /** The reference for the schemas in {@code schemas}. */
  static String render(Path schemas) {
    return new FleetRepoReference(schemas).render();
  }

  private String render() {
    var out = new StringBuilder();
    out.append("# Fleet repo reference\n\n")
        .append("<!-- Generated from schemas/ by model's FleetRepoReference; do not edit. After changing a schema,\n")
        .append("     run mvn -B -pl model -am test -Dtest=SchemaCopiesTest -Dflotilla.golden.update=true -->\n\n")
        .append("Every file of a fleet repo is one resource of one kind. Its path decides its kind, and the kind\n")
        .append("decides the schema it must match; `flotilla validate` checks both, then the rules across files.\n")
        .append("The schemas are in [`schemas/`](../schemas); `flotilla schema export DIR` writes them for editors.\n\n")
        .append("| path | kind | schema |\n| --- | --- | --- |\n");
    for (var kind : Kind.values()) {
      out.append("| `").append(kind.layout()).append("` | [").append(kind.displayName()).append("](#")
          .append(anchor(kind.displayName())).append(") | [`").append(kind.schemaFile()).append("`](../schemas/")
          .append(kind.schemaFile()).append(") |\n");
    }
    for (var kind : Kind.values()) {
      section(out, kind.schemaFile(), "File: `" + kind.layout() + "`. ");
    }
    var done = new LinkedHashSet<String>();
    while (!done.containsAll(shared)) { // a section may name more shared types
      var next = shared.stream().filter(file -> !done.contains(file)).findFirst().orElseThrow();
      done.add(next);
      section(out, next, "Used inside other kinds. ");
    }
    valueTypes(out);
    return out.toString();
  }

  private void section(StringBuilder out, String file, String where) {
    var schema = load(file);
    out.append("\n## ").append(schema.path("title").asText()).append("\n\n").append(where).append("Schema: [`")
        .append(file).append("`](../schemas/").append(file).append(").\n\n")
        .append(schema.path("description").asText()).append("\n\n")
        .append("| field | type | required | description |\n| --- | --- | --- | --- |\n");
    fields(out, "", schema, file);
  }

  private void fields(StringBuilder out, String prefix, JsonNode object, String file) {
    var required = StreamSupport.stream(object.path("required").spliterator(), false).map(JsonNode::asText)
        .collect(Collectors.toSet());
    for (var property : object.path("properties").properties()) {
      var path = prefix + property.getKey();
      var node = property.getValue();
      out.append("| `").append(path).append("` | ").append(type(node, file)).append(" | ")
          .append(required.contains(property.getKey()) ? "yes" : "").append(" | ")
          .append(cell(description(node, file) + notes(node))).append(" |\n");
      if (node.has("properties")) {
        fields(out, path + ".", node, file);
      } else if (node.path("items").has("properties")) {
        fields(out, path + "[].", node.path("items"), file);
      }
    }
  }

  private String type(JsonNode node, String file) {
    if (node.has("$ref")) {
      return referenced(node.get("$ref").asText(), file);
    }
    if (node.has("enum")) {
      return values(node.get("enum"));
    }
    var type = node.path("type");
    if (type.isArray()) {
      return StreamSupport.stream(type.spliterator(), false).map(JsonNode::asText).collect(Collectors.joining(" or "));
    }
    return switch (type.asText()) {
      case "array" -> "list of " + type(node.path("items"), file).replaceFirst("^object$", "objects");
      case "object" -> node.path("additionalProperties").isObject() ? map(node, file) : "object";
      case "string" -> node.has("format") ? "string (" + node.get("format").asText() + ")" : "string";
      default -> type.asText("any");
    };
  }

  private String map(JsonNode node, String file) {
    var key = node.has("propertyNames") ? type(node.get("propertyNames"), file) : "string";
    return "map of " + key + " to " + type(node.get("additionalProperties"), file);
  }

  /** A value type as a link, an enum file as its values, an object file as a link to its section. */
  private String referenced(String ref, String file) {
    if (ref.startsWith(TYPES + "#/$defs/")) {
      return "[" + ref.substring(ref.lastIndexOf('/') + 1) + "](#value-types)";
    }
    var target = ref.contains("#") ? ref.substring(0, ref.indexOf('#')) : ref;
    var schema = load(target.isEmpty() ? file : target);
    if (schema.has("enum")) {
      return values(schema.get("enum"));
    }
    if ("object".equals(schema.path("type").asText())) {
      shared.add(target);
      var title = schema.path("title").asText();
      return "[" + title + "](#" + anchor(title) + ")";
    }
    return type(schema, target);
  }

  private String description(JsonNode node, String file) {
    if (node.has("description")) {
      return node.get("description").asText();
    }
    var ref = node.path("$ref").asText("");
    return ref.isEmpty() || ref.startsWith(TYPES) ? "" : load(ref.split("#")[0]).path("description").asText("");
  }

  /** The constraints a reader needs beside the description: defaults, bounds, inline patterns, alternatives. */
  private static String notes(JsonNode node) {
    var notes = new StringBuilder();
    note(notes, node, "default", "Default: `%s`.");
    note(notes, node, "minimum", "At least %s.");
    note(notes, node, "maximum", "At most %s.");
    note(notes, node, "maxLength", "At most %s characters.");
    note(notes, node, "minItems", "At least %s item(s).");
    note(notes, node, "maxItems", "At most %s items.");
    note(notes, node, "pattern", "Pattern: `%s`.");
    if (node.path("uniqueItems").asBoolean()) {
      notes.append(" No duplicates.");
    }
    var oneOf = node.path("items").path("oneOf");
    if (oneOf.isArray()) {
      var names = StreamSupport.stream(oneOf.spliterator(), false)
          .map(alternative -> "`" + alternative.path("required").path(0).asText() + "`")
          .collect(Collectors.joining(", "));
      notes.append(" Each item has exactly one of ").append(names).append('.');
    }
    return notes.toString();
  }

  private static void note(StringBuilder notes, JsonNode node, String keyword, String format) {
    if (node.has(keyword)) {
      notes.append(' ').append(String.format(format, node.get(keyword).asText()));
    }
  }

  private void valueTypes(StringBuilder out) {
    var types = load(TYPES);
    out.append("\n## Value types\n\n").append(types.path("description").asText()).append(" Schema: [`")
        .append(TYPES).append("`](../schemas/").append(TYPES).append(").\n\n")
        .append("| name | description | pattern |\n| --- | --- | --- |\n");
    for (var def : types.path("$defs").properties()) {
      out.append("| `").append(def.getKey()).append("` | ").append(cell(def.getValue().path("description").asText()))
          .append(" | `").append(cell(def.getValue().path("pattern").asText())).append("` |\n");
    }
  }

  private static String values(JsonNode values) {
    return StreamSupport.stream(values.spliterator(), false).map(v -> "`" + v.asText() + "`")
        .collect(Collectors.joining(", "));
  }

  /** Text that stays inside one table cell: pipes escaped, line breaks as spaces. */
  private static String cell(String text) {
    return text.strip().replace("|", "\\|").replace("\n", "\\n");
  }

  /** The anchor GitHub gives a heading. */
  private static String anchor(String heading) {
    return heading.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
  }

  private JsonNode load(String file) {
    return files.computeIfAbsent(file, name -> {
      try {
        return yaml.readTree(schemas.resolve(name).toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("read schema '" + name + "': " + e.getMessage(), e);
      }
    });
  }
}
