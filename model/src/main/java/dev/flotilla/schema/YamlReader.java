package dev.flotilla.schema;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.networknt.schema.serialization.node.LocationJsonNodeFactoryFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML (or JSON) document into a tree whose nodes know their line and column.
 *
 * <p>Refuses, with a located {@link DocumentException}, what would otherwise be read wrongly or slowly: empty,
 * binary, non-UTF-8 and oversized files, tabs used for indentation, duplicate keys, anchors and aliases (which the
 * parser would not expand), nesting deeper than {@link #MAX_DEPTH}, and more than one document per file.
 * Thread-safe.
 */
public final class YamlReader {
  /** The largest file read, in bytes. Fleet files are small; a larger one is a mistake. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;
  public static final int MAX_DEPTH = 32;

  private final ObjectMapper mapper;

  public YamlReader() {
    var loader = new LoaderOptions();
    loader.setAllowDuplicateKeys(false);
    loader.setMaxAliasesForCollections(0);
    loader.setNestingDepthLimit(MAX_DEPTH + 2);
    loader.setCodePointLimit(MAX_BYTES);
    var factory = YAMLFactory.builder()
        .loaderOptions(loader)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper = new ObjectMapper(factory);
  }

  /** Parses {@code bytes} (at most {@link #MAX_BYTES}) into a location-aware tree. */
  public JsonNode read(byte[] bytes) throws DocumentException {
    var text = decode(bytes);
    if (text.isBlank()) {
      throw new DocumentException(Location.START, "file is empty",
          "a fleet file holds one resource with apiVersion, kind, metadata and spec");
    }
    try (var parser = new StrictParser(mapper.getFactory().createParser(text))) {
      var factory = LocationJsonNodeFactoryFactory.getInstance().getJsonNodeFactory(parser);
      JsonNode tree = mapper.reader(factory).readTree(parser);
      if (parser.nextToken() != null) {
        throw new DocumentException(at(parser.currentTokenLocation()), "file holds more than one YAML document",
            "put one resource in each file");
      }
      if (tree == null || !tree.isObject()) {
        throw new DocumentException(Location.START, "expected a mapping at the top of the file",
            "a fleet file holds one resource with apiVersion, kind, metadata and spec");
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw translate(e, text);
    } catch (IOException e) {
      throw new DocumentException(Location.START, "read YAML: " + e.getMessage(), "");
    }
  }

  private static String decode(byte[] bytes) throws DocumentException {
    if (bytes.length > MAX_BYTES) {
      throw new DocumentException(Location.START, "file is larger than " + (MAX_BYTES >> 20) + " MiB",
          "fleet files describe resources; put large content in an artifact");
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new DocumentException(lineOf(bytes, i), "binary file (NUL byte at offset " + i + ")",
            "fleet files are UTF-8 YAML text; put binaries in an artifact");
      }
    }
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    var buffer = ByteBuffer.wrap(bytes);
    try {
      var text = decoder.decode(buffer).toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new DocumentException(lineOf(bytes, buffer.position()),
          "not valid UTF-8 (bad byte at offset " + buffer.position() + ")", "save the file as UTF-8");
    }
  }

  private static DocumentException translate(JsonProcessingException e, String text) {
    var location = at(e.getLocation());
    var message = e.getOriginalMessage();
    if (message.contains("Duplicate field")) {
      var name = message.replaceAll("(?s).*Duplicate field '([^']*)'.*", "$1");
      return new DocumentException(location, "duplicate key '" + name + "'",
          "a key may appear once per mapping; keep one and delete the other");
    }
    if (message.contains("aliases") || message.contains("anchor") || message.contains("alias")) {
      return new DocumentException(location, "YAML anchors and aliases are not allowed",
          "write the value out in full; each file should read on its own");
    }
    if (message.contains("nesting depth") || message.contains("Nesting Depth")) {
      return new DocumentException(location, "nesting deeper than " + MAX_DEPTH + " levels", "flatten the document");
    }
    var tab = tabIndentNear(text, location.line());
    if (tab != null) {
      return new DocumentException(tab, "tab character used for indentation",
          "YAML indents with spaces; replace the tabs");
    }
    if (e.getCause() instanceof MarkedYAMLException marked) {
      var mark = marked.getProblemMark();
      var where = mark == null ? location : new Location(mark.getLine() + 1, mark.getColumn() + 1);
      var context = marked.getContext() == null ? "" : marked.getContext() + ": ";
      return new DocumentException(where, "invalid YAML: " + context + marked.getProblem(), "");
    }
    return new DocumentException(location, "invalid YAML: " + firstLine(message), "");
  }

  /** The place of the first tab used for indentation on the reported line or next to it, or null. */
  private static Location tabIndentNear(String text, int line) {
    var lines = text.split("\n", -1);
    for (int i = Math.max(0, line - 2); i < Math.min(lines.length, line + 1); i++) {
      var indent = lines[i].length() - lines[i].stripLeading().length();
      int tab = lines[i].indexOf('\t');
      if (tab >= 0 && tab < indent) {
        return new Location(i + 1, tab + 1);
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    var cleaned = message.replaceAll("\\s*in 'reader', line \\d+, column \\d+:?", "").strip();
    int newline = cleaned.indexOf('\n');
    return newline < 0 ? cleaned : cleaned.substring(0, newline).strip();
  }

  private static Location at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return Location.START;
    }
    return new Location(location.getLineNr(), Math.max(1, location.getColumnNr()));
  }

  private static Location lineOf(byte[] bytes, int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new Location(line, column);
  }

  /** Refuses anchors and aliases: Jackson would hand back the alias name instead of the value it stands for. */
  private static final class StrictParser extends JsonParserDelegate {
    StrictParser(JsonParser parser) {
      super(parser);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      var token = super.nextToken();
      if (delegate instanceof YAMLParser yaml && token != null
          && (yaml.isCurrentAlias() || yaml.getObjectId() != null)) {
        throw new com.fasterxml.jackson.core.JsonParseException(this, "anchor or alias");
      }
      return token;
    }
  }
}
