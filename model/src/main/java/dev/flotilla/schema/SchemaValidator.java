package dev.flotilla.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.utils.JsonNodes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates location-aware trees against the schemas shipped in this jar, and turns each failure into a
 * {@link Problem} with the line, the field path, a readable message and, where one is obvious, a fix.
 *
 * <p>Schemas load from the classpath only, never the network. Thread-safe; build one and share it, because the
 * first use of a schema costs tens of milliseconds.
 */
public final class SchemaValidator {
  public static final String ID_PREFIX = "https://flotilla.dev/schemas/v1/";
  static final String CLASSPATH_DIR = "flotilla/schemas/";

  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  private final SchemaTexts texts = new SchemaTexts();

  public SchemaValidator() {
    Dialect dialect = Dialect.builder(Dialects.getDraft202012())
        .keyword(new AnnotationKeyword("javaType"))
        .keyword(new AnnotationKeyword("existingJavaType"))
        .build();
    this.registry = SchemaRegistry.withDialect(dialect, builder -> builder
        .schemaIdResolvers(resolvers -> resolvers.mapPrefix(ID_PREFIX, "classpath:" + CLASSPATH_DIR))
        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  }

  /** The file names of every schema shipped in this jar, sorted. */
  public static List<String> schemaFiles() throws IOException {
    var source = SchemaValidator.class.getProtectionDomain().getCodeSource().getLocation();
    try {
      var location = Path.of(source.toURI());
      if (Files.isDirectory(location)) {
        return list(location.resolve(CLASSPATH_DIR));
      }
      try (var jar = FileSystems.newFileSystem(location)) {
        return list(jar.getPath(CLASSPATH_DIR));
      }
    } catch (URISyntaxException e) {
      throw new IOException("locate the schemas: " + e.getMessage(), e);
    }
  }

  /** Opens one shipped schema, such as {@code device.yaml}. */
  public static InputStream openSchema(String file) throws IOException {
    var in = SchemaValidator.class.getClassLoader().getResourceAsStream(CLASSPATH_DIR + file);
    if (in == null) {
      throw new IOException("no schema '" + file + "'");
    }
    return in;
  }

  private static List<String> list(Path directory) throws IOException {
    try (var files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
    }
  }

  /** Validates {@code tree} against {@code schemaFile} (such as {@code device.yaml}); empty when valid. */
  public List<Problem> validate(String file, String schemaFile, JsonNode tree) {
    var schema = schemas.computeIfAbsent(schemaFile, name -> registry.getSchema(SchemaLocation.of(ID_PREFIX + name)));
    var problems = new LinkedHashSet<Problem>();
    for (var error : schema.validate(tree)) {
      if (!insideFailedOneOf(error)) {
        problems.add(toProblem(file, tree, error));
      }
    }
    return new ArrayList<>(problems);
  }

  /** The branches of a failed {@code oneOf} report their own errors; the {@code oneOf} error says it better. */
  private static boolean insideFailedOneOf(Error error) {
    return error.getEvaluationPath().toString().contains("oneOf") && !"oneOf".equals(error.getKeyword());
  }

  private Problem toProblem(String file, JsonNode tree, Error error) {
    var field = fieldPath(error.getInstanceLocation());
    var node = JsonNodes.get(tree, error.getInstanceLocation());
    var keyword = error.getKeyword();
    var schemaLocation = error.getSchemaLocation().toString();
    var value = node != null && node.isValueNode() ? "'" + shown(node.asText()) + "'" : "value";
    String message;
    String hint = "";
    switch (keyword) {
      case "additionalProperties" -> {
        var property = error.getProperty();
        var allowed = texts.propertiesBeside(schemaLocation);
        if (node != null && node.get(property) != null) {
          node = node.get(property);
        }
        field = join(field, property);
        message = "unknown field '" + property + "'";
        var suggestion = Spelling.closest(property, allowed);
        hint = suggestion != null ? "did you mean '" + suggestion + "'?" : "allowed here: " + String.join(", ", allowed);
      }
      case "required" -> {
        var property = error.getProperty() != null ? error.getProperty() : String.valueOf(error.getArguments()[0]);
        message = "missing required field '" + property + "'";
        hint = texts.descriptionOfProperty(schemaLocation, property);
      }
      case "enum" -> {
        var allowed = new ArrayList<String>();
        error.getSchemaNode().forEach(v -> allowed.add(v.asText()));
        message = value + " is not one of " + String.join(", ", allowed);
      }
      case "pattern" -> {
        var definition = SchemaTexts.definitionName(schemaLocation);
        if ("absolute path".equals(definition) && node != null) {
          var path = node.asText();
          if (!path.startsWith("/")) {
            return Problem.error(file, Nodes.location(node), field, "'" + path + "' is a relative path",
                "use an absolute path, such as '/" + path.replaceFirst("^(\\./)+", "") + "'");
          }
          if (path.matches("(.*/)?\\.\\.?(/.*)?")) {
            return Problem.error(file, Nodes.location(node), field, "'" + path + "' has a '.' or '..' segment",
                "write the normalised absolute path; a file may not escape its directory");
          }
        }
        if ("public key pem".equals(definition) && node != null) {
          return Problem.error(file, Nodes.location(node), field, "not a PEM public key ("
              + PemText.whyNot(node.asText()) + ")", "paste the whole '" + PemText.BEGIN + "' block");
        }
        message = value + " is not a valid " + (definition != null ? definition : "value here");
        hint = texts.definitionDescription(schemaLocation);
      }
      case "type" -> {
        message = "expected " + error.getSchemaNode().toString().replace("\"", "").replace(",", " or ")
            + ", got " + nodeType(node);
        hint = texts.definitionDescription(schemaLocation);
      }
      case "format" -> {
        message = value + " is not a valid " + error.getSchemaNode().asText();
        if ("date-time".equals(error.getSchemaNode().asText())) {
          hint = "use RFC 3339 with a zone, such as '2027-06-30T00:00:00Z'";
        }
      }
      case "oneOf" -> {
        var choices = texts.oneOfRequired(schemaLocation);
        message = choices.isEmpty() ? stripPath(error.getMessage())
            : "give exactly one of " + String.join(" or ", choices.stream().map(c -> "'" + c + "'").toList());
      }
      case "uniqueItems" -> message = "duplicate entries in the list";
      case "propertyNames" -> {
        var property = error.getProperty();
        if (node != null && node.get(property) != null) {
          node = node.get(property);
        }
        var definition = texts.referencedDefinition(schemaLocation);
        message = "'" + property + "' is not a valid " + (definition != null ? definition : "key here");
        hint = texts.referencedDescription(schemaLocation);
      }
      default -> message = stripPath(error.getMessage());
    }
    return Problem.error(file, Nodes.location(node), field, message, hint);
  }

  static String fieldPath(NodePath path) {
    var out = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      var element = path.getElement(i);
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

  /**
   * A value as a message may quote it: control characters and line breaks escaped, so a message stays one line
   * whatever a file or a device sent, and cut after {@value #SHOWN} characters.
   */
  static String shown(String value) {
    var out = new StringBuilder();
    int i = 0;
    for (; i < value.length() && out.length() < SHOWN; i++) {
      char c = value.charAt(i);
      out.append(c == '\n' ? "\\n" : Character.isISOControl(c) || c == 0x2028 || c == 0x2029
          ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return i < value.length() ? out + "…" : out.toString();
  }

  private static final int SHOWN = 100;

  private static String join(String field, String property) {
    return field.isEmpty() ? property : field + "." + property;
  }

  private static String nodeType(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    if (node.isIntegralNumber()) {
      return "integer " + node.asText();
    }
    if (node.isNumber()) {
      return "number " + node.asText();
    }
    if (node.isBoolean()) {
      return "boolean " + node.asText();
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String stripPath(String message) {
    return message.replaceFirst("^\\$[^:]*:\\s*", "");
  }

  /** Reads descriptions and property lists from the raw schema documents, to explain failures. */
  static final class SchemaTexts {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final Map<String, JsonNode> documents = new ConcurrentHashMap<>();

    /** The name of the {@code types.yaml} definition a keyword sits in, such as {@code fileMode}. */
    static String definitionName(String schemaLocation) {
      int at = schemaLocation.indexOf("#/$defs/");
      if (at < 0) {
        return null;
      }
      var rest = schemaLocation.substring(at + "#/$defs/".length());
      int slash = rest.indexOf('/');
      var name = slash < 0 ? rest : rest.substring(0, slash);
      return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }

    String definitionDescription(String schemaLocation) {
      var parent = parentNode(schemaLocation);
      return parent == null ? "" : firstSentence(parent.path("description").asText(""));
    }

    String descriptionOfProperty(String schemaLocation, String property) {
      var parent = parentNode(schemaLocation);
      if (parent == null) {
        return "";
      }
      var description = parent.path("properties").path(property).path("description").asText("");
      return description.isEmpty() ? "" : "'" + property + "': " + firstSentence(lowerFirst(description));
    }

    /** The name of the definition that the schema at {@code schemaLocation} refers to, such as {@code sysctl key}. */
    String referencedDefinition(String schemaLocation) {
      var node = node(schemaLocation);
      return node == null ? null : definitionName(ID_PREFIX + node.path("$ref").asText());
    }

    String referencedDescription(String schemaLocation) {
      var node = node(schemaLocation);
      if (node == null || !node.has("$ref")) {
        return "";
      }
      var target = node(ID_PREFIX + node.path("$ref").asText());
      return target == null ? "" : firstSentence(target.path("description").asText(""));
    }

    List<String> propertiesBeside(String schemaLocation) {
      var parent = parentNode(schemaLocation);
      var names = new ArrayList<String>();
      if (parent != null) {
        parent.path("properties").fieldNames().forEachRemaining(names::add);
      }
      return names;
    }

    List<String> oneOfRequired(String schemaLocation) {
      var names = new ArrayList<String>();
      var node = node(schemaLocation);
      if (node != null) {
        node.forEach(branch -> branch.path("required").forEach(r -> names.add(r.asText())));
      }
      return names;
    }

    private JsonNode parentNode(String schemaLocation) {
      int slash = schemaLocation.lastIndexOf('/');
      return slash < 0 || slash < schemaLocation.indexOf('#') ? null : node(schemaLocation.substring(0, slash));
    }

    private JsonNode node(String schemaLocation) {
      if (!schemaLocation.startsWith(ID_PREFIX)) {
        return null;
      }
      int hash = schemaLocation.indexOf('#');
      var file = hash < 0 ? schemaLocation.substring(ID_PREFIX.length()) : schemaLocation.substring(ID_PREFIX.length(), hash);
      var pointer = hash < 0 ? "" : schemaLocation.substring(hash + 1);
      var document = documents.computeIfAbsent(file, this::load);
      var node = document.at(pointer.isEmpty() ? "" : pointer);
      return node.isMissingNode() ? null : node;
    }

    private JsonNode load(String file) {
      try (var in = SchemaValidator.class.getClassLoader().getResourceAsStream(CLASSPATH_DIR + file)) {
        return in == null ? yaml.createObjectNode() : yaml.readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static String firstSentence(String text) {
      int end = text.indexOf(". ");
      var sentence = end < 0 ? text : text.substring(0, end + 1);
      return lowerFirst(sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence);
    }

    private static String lowerFirst(String text) {
      return text.isEmpty() || (text.length() > 1 && Character.isUpperCase(text.charAt(1)))
          ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
  }
}
