package dev.flotilla.cli.release;

import dev.flotilla.digest.Digest;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The release files of a directory: {@value #SUMS} in {@code sha256sum} format (two spaces, name) over every other
 * regular file, sorted by name, and {@value #SIGNATURE}, an ECDSA P-256/SHA-256 DER signature of the sums file's exact
 * bytes, which {@code openssl dgst -sha256 -verify key.pub.pem -signature SHA256SUMS.sig SHA256SUMS} also checks.
 * {@link #write} replaces both; {@link #check} reads them and changes nothing.
 */
public final class ReleaseSums {
  public static final String SUMS = "SHA256SUMS";
  public static final String SIGNATURE = "SHA256SUMS.sig";

  /** What {@link #check} found: a good signature and each listed file's verdict, in the sums file's order. */
  public record Checked(boolean signatureValid, List<String> problems) {
    public boolean ok() {
      return signatureValid && problems.isEmpty();
    }
  }

  private ReleaseSums() {}

  /** Writes the sums of every file in {@code dir} and their signature with {@code key}; returns the files summed. */
  public static List<Path> write(Path dir, PrivateKey key) throws IOException {
    var files = releaseFiles(dir);
    var text = new StringBuilder();
    for (var file : files) {
      text.append(Digest.sha256(file).hex()).append("  ").append(file.getFileName()).append('\n');
    }
    var bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve(SUMS), bytes);
    Files.write(dir.resolve(SIGNATURE), Keys.sign(key, bytes));
    return files;
  }

  /** Checks the signature of {@value #SUMS} with {@code key}, then each file it lists against its sum. */
  public static Checked check(Path dir, PublicKey key) throws IOException {
    var bytes = Files.readAllBytes(dir.resolve(SUMS));
    var valid = Keys.verify(key, bytes, Files.readAllBytes(dir.resolve(SIGNATURE)));
    var problems = new ArrayList<String>();
    for (var line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      var parts = line.split(" {2}", 2);
      if (parts.length != 2) {
        problems.add("malformed line in " + SUMS + ": '" + line + "'");
        continue;
      }
      if (parts[1].contains("/")) {
        problems.add("malformed line in " + SUMS + ": '" + parts[1] + "' is not a file name");
        continue;
      }
      var file = dir.resolve(parts[1]);
      if (!Files.isRegularFile(file)) {
        problems.add("'" + parts[1] + "': missing");
      } else if (!Digest.sha256(file).hex().equals(parts[0])) {
        problems.add("'" + parts[1] + "': sha256 differs from " + SUMS);
      }
    }
    return new Checked(valid, problems);
  }

  private static List<Path> releaseFiles(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals(SUMS) && !p.getFileName().toString().equals(SIGNATURE))
          .sorted().toList();
    }
  }
}
