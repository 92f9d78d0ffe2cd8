package dev.flotilla.trust;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The bytes that get signed: JSON with object keys sorted, no whitespace, UTF-8, non-ASCII written as is — the
 * same bytes as Python's {@code json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)}, so
 * other tools can reproduce them. Pure; thread-safe.
 */
public final class CanonicalJson {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  /**
   * Writes model objects straight to canonical bytes, without building a tree first: properties and map keys
   * sorted (the generated types' {@code @JsonPropertyOrder} ignored), control characters escaped as the tree
   * writer does. {@code CanonicalJsonTest} holds it to the tree writer's bytes.
   */
  private static final ObjectWriter DIRECT = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
      .annotationIntrospector(new Sorted())
      .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build()
      .writer()
      .with(new Escapes());

  private CanonicalJson() {}

  public static byte[] encode(JsonNode node) {
    var out = new StringBuilder(1024);
    write(node, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A flat object of strings and whole numbers as canonical JSON, as {@link #encode(JsonNode)} writes its tree:
   * for the few members a caller adds with {@link #merge}. Pure.
   *
   * @throws IllegalArgumentException for a value that is neither a string nor a long or int
   */
  public static byte[] encodeFlat(SortedMap<String, ?> members) {
    var out = new StringBuilder(64 * members.size() + 2).append('{');
    for (var member : members.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      string(member.getKey(), out);
      out.append(':');
      switch (member.getValue()) {
        case String s -> string(s, out);
        case Long n -> out.append(n.longValue());
        case Integer n -> out.append(n.intValue());
        case null, default -> throw new IllegalArgumentException("canonical JSON: flat object: member '"
            + member.getKey() + "' is neither a string nor a whole number");
      }
    }
    return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A generated model object (or any bean) as canonical JSON; null fields are left out. */
  public static byte[] encode(Object pojo) {
    if (pojo instanceof JsonNode node) {
      return encode(node);
    }
    try {
      return DIRECT.writeValueAsBytes(pojo);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("canonical JSON: cannot encode a " + pojo.getClass().getName() + ": "
          + e.getOriginalMessage(), e);
    }
  }

  /**
   * The canonical JSON of one object holding the members of two: {@code a} and {@code b} are canonical objects, as
   * {@link #encode} writes them, with no top-level key in common. Gives the bytes {@code encode} would give for the
   * union, without encoding either again: members are copied as they are, interleaved by key. Lets a caller encode
   * a large object once and add a few members later (the publisher stamps version and times on a rendered
   * payload). Pure.
   *
   * @throws IllegalArgumentException if either is not a JSON object, or a key is in both
   */
  public static byte[] merge(byte[] a, byte[] b) {
    var first = members(a);
    var second = members(b);
    var out = new ByteArrayOutputStream(a.length + b.length);
    out.write('{');
    int i = 0;
    int j = 0;
    while (i < first.size() || j < second.size()) {
      int order = i == first.size() ? 1 : j == second.size() ? -1 : first.get(i).key.compareTo(second.get(j).key);
      if (order == 0) {
        throw new IllegalArgumentException("canonical JSON: merge objects: key '" + first.get(i).key + "' is in both");
      }
      if (i + j > 0) {
        out.write(',');
      }
      var member = order < 0 ? first.get(i++) : second.get(j++);
      out.write(order < 0 ? a : b, member.from, member.to - member.from);
    }
    out.write('}');
    return out.toByteArray();
  }

  /** A top-level member of an encoded object: its key, and where {@code "key":value} starts and ends. */
  private record Member(String key, int from, int to) {}

  /** The top-level members of a compact JSON object in their order; strings may hold escaped quotes. */
  private static List<Member> members(byte[] json) {
    int last = json.length - 1;
    if (json.length < 2 || json[0] != '{' || json[last] != '}') {
      throw new IllegalArgumentException("canonical JSON: merge objects: not a JSON object");
    }
    var members = new ArrayList<Member>();
    int from = 1;
    int depth = 0;
    for (int at = 1; at < last; at++) {
      switch (json[at]) {
        case '"' -> at = endOfString(json, at);
        case '{', '[' -> depth++;
        case '}', ']' -> depth--;
        case ',' -> {
          if (depth == 0) {
            members.add(member(json, from, at));
            from = at + 1;
          }
        }
        default -> { }
      }
    }
    if (last > 1) {
      members.add(member(json, from, last));
    }
    return members;
  }

  private static Member member(byte[] json, int from, int to) {
    if (json[from] != '"') {
      throw new IllegalArgumentException("canonical JSON: merge objects: no key at byte " + from);
    }
    var key = new String(json, from + 1, endOfString(json, from) - from - 1, StandardCharsets.UTF_8);
    return new Member(key, from, to);
  }

  /** The index of the quote that closes the string opening at {@code open}. */
  private static int endOfString(byte[] json, int open) {
    for (int at = open + 1; at < json.length; at++) {
      if (json[at] == '\\') {
        at++;
      } else if (json[at] == '"') {
        return at;
      }
    }
    throw new IllegalArgumentException("canonical JSON: merge objects: unterminated string at byte " + open);
  }

  /** Ignores declared property orders, so every bean's properties come out sorted by name. */
  private static final class Sorted extends JacksonAnnotationIntrospector {
    @Override
    public String[] findSerializationPropertyOrder(AnnotatedClass ac) {
      return null;
    }

    @Override
    public Boolean findSerializationSortAlphabetically(com.fasterxml.jackson.databind.introspect.Annotated ann) {
      return Boolean.TRUE;
    }
  }

  /** Jackson's standard escapes, except that control characters get lowercase hex digits, as {@link #string} writes. */
  private static final class Escapes extends CharacterEscapes {
    private static final int[] CODES = standardAsciiEscapesForJSON();
    private static final SerializableString[] LOWER = new SerializableString[0x20];

    static {
      for (int c = 0; c < 0x20; c++) {
        if (CODES[c] == ESCAPE_STANDARD) {
          LOWER[c] = new SerializedString(String.format("\\u%04x", c));
          CODES[c] = ESCAPE_CUSTOM;
        }
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return CODES;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch < 0x20 ? LOWER[ch] : null;
    }
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        var fields = new ArrayList<Map.Entry<String, JsonNode>>();
        node.fields().forEachRemaining(fields::add);
        fields.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < fields.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          string(fields.get(i).getKey(), out);
          out.append(':');
          write(fields.get(i).getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> string(node.textValue(), out);
      case NUMBER -> out.append(node.isIntegralNumber() ? node.bigIntegerValue().toString() : node.asText());
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL, MISSING -> out.append("null");
      default -> throw new IllegalArgumentException("canonical JSON: cannot encode a " + node.getNodeType());
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    int plain = 0;
    while (plain < s.length() && s.charAt(plain) >= 0x20 && s.charAt(plain) != '"' && s.charAt(plain) != '\\') {
      plain++;
    }
    out.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
