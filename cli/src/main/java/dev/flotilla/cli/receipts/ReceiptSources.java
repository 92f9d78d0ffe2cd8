package dev.flotilla.cli.receipts;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.receipt.ReceiptFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The receipts named on the command line: a {@code *.jsonl} file is history JSON Lines, whose lines of kind {@code
 * receipt} hold the envelope under {@code detail.envelope}; any other file is one signed receipt, read as its
 * exact bytes (at most the receipt cap plus one byte, so an oversized one is refused, not read whole); a directory
 * stands for its {@code *.json} and {@code *.jsonl} files, sorted, not recursing.
 */
public final class ReceiptSources {
  /** One receipt to check: where it came from ({@code file} or {@code file:line}) and its bytes. */
  public record Source(String name, byte[] bytes) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReceiptSources() {}

  /** Every receipt of {@code paths}, in order. */
  public static List<Source> read(List<Path> paths) throws IOException {
    var out = new ArrayList<Source>();
    for (var path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.list(path)) {
          for (var file : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".json")
              || f.toString().endsWith(".jsonl")).sorted().toList()) {
            readFile(file, out);
          }
        }
      } else {
        readFile(path, out);
      }
    }
    return out;
  }

  private static void readFile(Path file, List<Source> out) throws IOException {
    if (!file.toString().endsWith(".jsonl")) {
      try (var in = Files.newInputStream(file)) {
        out.add(new Source(file.toString(), in.readNBytes(ReceiptFormat.MAX_BYTES + 1)));
      }
      return;
    }
    int number = 0;
    try (var lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (var line = lines.readLine(); line != null; line = lines.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          var event = JSON.readTree(line);
          if ("receipt".equalsIgnoreCase(event.path("kind").asText())) {
            var envelope = event.path("detail").path("envelope");
            out.add(new Source(file + ":" + number, envelope.isObject() ? JSON.writeValueAsBytes(envelope)
                : new byte[0]));
          }
        } catch (JacksonException e) {
          out.add(new Source(file + ":" + number, line.getBytes(StandardCharsets.UTF_8)));
        }
      }
    }
  }
}
