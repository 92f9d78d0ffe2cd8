package dev.flotilla.history;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The history files of the status branch: {@code history/<tenant>/<yyyy-mm-dd>.jsonl} (fleet-wide events under
 * {@value #FLEET}), one event per line, appended only. Each line starts with a chain value, the sha256 (first 128 bits)
 * of the previous line's chain value and the rest of this line, so an event changed or removed by hand breaks the
 * chain at that line. Pure: bytes in, values out.
 */
public final class HistoryLines {
  public static final String DIR = "history/";
  /** The directory of events that belong to no tenant; not a tenant name (those have no underscore). */
  public static final String FLEET = "_fleet";
  private static final Pattern TENANT = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern PATH = Pattern.compile("history/([a-z0-9-]+|_fleet)/(\\d{4}-\\d\\d-\\d\\d)\\.jsonl");
  private static final String PREFIX = "{\"chain\":\"";
  private static final int CHAIN = 32;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private HistoryLines() {}

  /** One event as stored: its id, its line (from 1) and its chain value. */
  public record Entry(String id, int line, String chain, HistoryEvent event) {}

  /** A line that is not what was written: the file, the line (from 1) and what is wrong. */
  public record Tampered(String path, int line, String reason) {
    @Override
    public String toString() {
      return "history file '" + path + "' line " + line + ": " + reason;
    }
  }

  /**
   * A file read back: the events whose chain holds, the lines that do not, and each line's stored chain value.
   */
  public record Parsed(List<Entry> entries, List<Tampered> tampered, List<String> chains) {
    /** The chain value of the last line; empty for an empty file. */
    public String head() {
      return chains.isEmpty() ? "" : chains.getLast();
    }

    public int lines() {
      return chains.size();
    }
  }

  /** The file {@code event} belongs in. Throws IllegalArgumentException for a tenant that is not a name. */
  public static String path(HistoryEvent event) {
    var tenant = event.tenant() == null ? FLEET : event.tenant();
    if (event.tenant() != null && !TENANT.matcher(tenant).matches()) {
      throw new IllegalArgumentException("record history event: tenant '" + tenant + "' is not a name");
    }
    return DIR + tenant + "/" + LocalDate.ofInstant(event.at(), ZoneOffset.UTC) + ".jsonl";
  }

  /** The day of a history file's path; null for a path that is not a history file. */
  public static LocalDate day(String path) {
    var matcher = PATH.matcher(path);
    return matcher.matches() ? LocalDate.parse(matcher.group(2)) : null;
  }

  /** The line for {@code event} with id {@code id} after a line whose chain value is {@code previous}. */
  public static String line(String previous, String id, HistoryEvent event) {
    var node = JSON.createObjectNode().put("id", id).put("at", event.at().toString());
    node.put("tenant", event.tenant()).put("device", event.device()).put("kind", event.kind().wireName())
        .put("commit", event.commit()).set("detail", event.detail());
    var json = node.toString();
    var rest = json.substring(1);
    return PREFIX + chain(previous, rest) + "\"," + rest;
  }

  /** The chain value of the last line of {@code content}; empty for an empty file. */
  public static String head(byte[] content) {
    var text = new String(content, StandardCharsets.UTF_8).stripTrailing();
    var start = text.lastIndexOf('\n') + 1;
    return start >= text.length() ? "" : chainOf(text.substring(start));
  }

  /** The ids of every event of {@code content}, valid chain or not. */
  public static Set<String> ids(byte[] content) {
    var ids = new HashSet<String>();
    for (var line : new String(content, StandardCharsets.UTF_8).split("\n")) {
      var at = PREFIX.length() + CHAIN + "\",\"id\":\"".length();
      var end = line.indexOf('"', at);
      if (line.startsWith(PREFIX) && end > at) {
        ids.add(line.substring(at, end));
      }
    }
    return ids;
  }

  /** Reads {@code content} of {@code path}, checking every line's chain value. */
  public static Parsed parse(String path, byte[] content) {
    return parse(path, content, 1);
  }

  /**
   * Reads {@code content} of {@code path}, checking every line's chain value, and makes events of the lines from
   * {@code first} on only (those before were read already).
   */
  public static Parsed parse(String path, byte[] content, int first) {
    var entries = new ArrayList<Entry>();
    var tampered = new ArrayList<Tampered>();
    var chains = new ArrayList<String>();
    var previous = "";
    int number = 0;
    for (var line : new String(content, StandardCharsets.UTF_8).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      number++;
      var stored = chainOf(line);
      var rest = stored.isEmpty() ? "" : line.substring(PREFIX.length() + CHAIN + 2);
      if (stored.isEmpty() || !stored.equals(chain(previous, rest))) {
        tampered.add(new Tampered(path, number, "its chain value does not match; the event was changed, or one "
            + "before it removed, after it was written; it is not indexed"));
      } else if (number >= first) {
        var entry = entry(path, number, stored, "{" + rest, tampered);
        if (entry != null) {
          entries.add(entry);
        }
      }
      previous = stored;
      chains.add(stored);
    }
    return new Parsed(entries, tampered, chains);
  }

  private static Entry entry(String path, int number, String chain, String json, List<Tampered> tampered) {
    try {
      var node = (ObjectNode) JSON.readTree(json);
      var kind = EventKind.fromWireName(node.path("kind").asText());
      if (kind == null || !node.path("detail").isObject()) {
        tampered.add(new Tampered(path, number, "unknown kind '" + node.path("kind").asText() + "' or no detail"));
        return null;
      }
      var event = new HistoryEvent(Instant.parse(node.path("at").asText()), text(node, "tenant"),
          text(node, "device"), kind, text(node, "commit"), (ObjectNode) node.get("detail"));
      return new Entry(node.path("id").asText(), number, chain, event);
    } catch (JacksonException | java.time.DateTimeException | ClassCastException e) {
      tampered.add(new Tampered(path, number, "not a history event: " + e.getMessage().lines().findFirst()
          .orElse("")));
      return null;
    }
  }

  private static String text(ObjectNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  private static String chainOf(String line) {
    var end = PREFIX.length() + CHAIN;
    return line.startsWith(PREFIX) && line.length() > end + 2 && line.startsWith("\",", end)
        ? line.substring(PREFIX.length(), end) : "";
  }

  private static String chain(String previous, String rest) {
    var digest = Digest.sha256((previous + "\n" + rest).getBytes(StandardCharsets.UTF_8)).hex();
    return digest.substring(0, CHAIN);
  }
}
