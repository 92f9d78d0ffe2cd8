package dev.flotilla.cli.artifact;

import dev.flotilla.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The regular files of a gzipped tarball with their sha256 and size, in archive order: ustar and GNU headers, GNU
 * long names ({@code L}) and PAX {@code path} records. Reads the archive once, streaming; stops after
 * {@link #MAX_FILES} files. Throws {@link IOException} for anything that is not a gzipped tarball.
 */
public final class TarListing {
  public static final int MAX_FILES = 10_000;
  private static final int BLOCK = 512;

  /** One file of the archive. */
  public record Entry(String path, String sha256, long size) {}

  private TarListing() {}

  public static List<Entry> list(Path tarball) throws IOException {
    try (var in = new GZIPInputStream(Files.newInputStream(tarball), 64 * 1024)) {
      return list(in);
    }
  }

  private static List<Entry> list(InputStream in) throws IOException {
    var entries = new ArrayList<Entry>();
    String longName = null;
    while (entries.size() < MAX_FILES) {
      var header = in.readNBytes(BLOCK);
      if (header.length == 0 || isZero(header)) {
        return entries;
      }
      if (header.length < BLOCK || !checksumOk(header)) {
        throw new IOException("not a tar archive (bad header after " + entries.size() + " file(s))");
      }
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      var name = longName != null ? longName : name(header);
      longName = null;
      switch (type) {
        case 'L' -> longName = new String(in.readNBytes((int) Math.min(size, 1 << 16)), StandardCharsets.UTF_8)
            .replace("\0", "");
        case 'x' -> longName = paxPath(new String(in.readNBytes((int) Math.min(size, 1 << 16)), StandardCharsets.UTF_8));
        case '0', '\0', '7' -> entries.add(new Entry(name, hash(in, size), size));
        default -> in.skipNBytes(size);
      }
      if (type == 'L' || type == 'x') {
        in.skipNBytes(Math.max(0, size - Math.min(size, 1 << 16)));
      }
      in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
    }
    return entries;
  }

  private static String hash(InputStream in, long size) throws IOException {
    var digest = Digest.newSha256();
    var buffer = new byte[64 * 1024];
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("tar archive ends inside a file");
      }
      digest.update(buffer, 0, n);
      left -= n;
    }
    return Digest.of(digest.digest()).hex();
  }

  private static String name(byte[] header) {
    var name = string(header, 0, 100);
    var magic = string(header, 257, 6);
    var prefix = magic.startsWith("ustar") ? string(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /** The {@code path} record of a PAX extended header ("LEN path=VALUE\n"), or null. */
  private static String paxPath(String records) {
    for (var line : records.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && line.startsWith("path=", space + 1)) {
        return line.substring(space + 6);
      }
    }
    return null;
  }

  private static String string(byte[] header, int from, int length) {
    int end = from;
    while (end < from + length && header[end] != 0) {
      end++;
    }
    return new String(header, from, end - from, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int from, int length) throws IOException {
    var text = string(header, from, length).trim();
    try {
      return text.isEmpty() ? 0 : Long.parseLong(text, 8);
    } catch (NumberFormatException e) {
      throw new IOException("not a tar archive (size field '" + text + "')");
    }
  }

  private static boolean checksumOk(byte[] header) throws IOException {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
    }
    return sum == octal(header, 148, 8);
  }

  private static boolean isZero(byte[] block) {
    for (var b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
