package dev.flotilla.agent.host.apps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a gzipped (ustar or GNU) tarball into an empty directory, safely: an entry whose name is absolute or
 * contains {@code ..}, a symlink whose target leaves the directory, a hard link, or a device is refused, and the
 * unpacking stops. Permission bits are kept, without setuid, setgid and sticky bits.
 */
final class Tarball {
  private static final int BLOCK = 512;

  private Tarball() {
  }

  /** Unpacks {@code tarball} into {@code target}, which must exist and be empty. */
  static void unpack(Path tarball, Path target) throws IOException {
    try (var in = new GZIPInputStream(Files.newInputStream(tarball))) {
      String longName = null;
      var header = new byte[BLOCK];
      while (in.readNBytes(header, 0, BLOCK) == BLOCK && header[0] != 0) {
        var type = (char) header[156];
        var size = octal(header, 124, 12);
        var name = longName != null ? longName : name(header);
        longName = null;
        switch (type) {
          case 'L' -> longName = new String(readPadded(in, size), StandardCharsets.UTF_8).replace("\0", "");
          case 'x', 'g' -> readPadded(in, size);
          case '0', '\0', '7' -> writeFile(in, safe(target, name), size, octal(header, 100, 8));
          case '5' -> Files.createDirectories(safe(target, name));
          case '2' -> link(target, safe(target, name), string(header, 157, 100));
          default -> throw new IOException("unpack: entry '" + name + "' is of type '" + type
              + "' (hard link, device or fifo), which apps may not ship");
        }
      }
    }
  }

  private static String name(byte[] header) {
    var name = string(header, 0, 100);
    var ustar = string(header, 257, 5).equals("ustar");
    var prefix = ustar ? string(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /** Where {@code name} goes under {@code target}; refuses names that would land elsewhere. */
  private static Path safe(Path target, String name) throws IOException {
    var relative = name.startsWith("./") ? name.substring(2) : name;
    if (relative.startsWith("/") || relative.isEmpty() && !name.equals("./")
        || Set.of(relative.split("/")).contains("..")) {
      throw new IOException("unpack: entry '" + name + "' points outside the app directory");
    }
    var path = target.resolve(relative).normalize();
    if (!path.startsWith(target)) {
      throw new IOException("unpack: entry '" + name + "' points outside the app directory");
    }
    for (var p = path; p != null && !p.equals(target); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new IOException("unpack: entry '" + name + "' goes through a symlink");
      }
    }
    return path;
  }

  private static void link(Path target, Path at, String linkTarget) throws IOException {
    var resolved = at.getParent().resolve(linkTarget).normalize();
    if (linkTarget.startsWith("/") || !resolved.startsWith(target)) {
      throw new IOException("unpack: symlink '" + target.relativize(at) + "' -> '" + linkTarget
          + "' leaves the app directory");
    }
    Files.createDirectories(at.getParent());
    Files.createSymbolicLink(at, Path.of(linkTarget));
  }

  private static void writeFile(InputStream in, Path path, long size, long mode) throws IOException {
    Files.createDirectories(path.getParent());
    try (var out = Files.newOutputStream(path)) {
      long left = size;
      var buffer = new byte[65536];
      while (left > 0) {
        int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
        if (n <= 0) {
          throw new IOException("unpack: tarball ends inside '" + path.getFileName() + "'");
        }
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
    Files.setPosixFilePermissions(path, permissions(mode & 0777));
  }

  private static byte[] readPadded(InputStream in, long size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("unpack: an extended header of " + size + " bytes is too long");
    }
    var data = in.readNBytes((int) size);
    in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
    return data;
  }

  static Set<PosixFilePermission> permissions(long mode) {
    var set = EnumSet.noneOf(PosixFilePermission.class);
    var all = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE, highest bit first
    for (int i = 0; i < 9; i++) {
      if ((mode & (1L << (8 - i))) != 0) {
        set.add(all[i]);
      }
    }
    return set;
  }

  private static long octal(byte[] header, int offset, int length) {
    var text = string(header, offset, length).trim();
    return text.isEmpty() ? 0 : Long.parseLong(text, 8);
  }

  private static String string(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }
}
