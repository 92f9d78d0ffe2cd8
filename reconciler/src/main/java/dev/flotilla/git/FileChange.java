package dev.flotilla.git;

import java.nio.charset.StandardCharsets;

/** A change to one file of a commit: put these bytes at a path, or delete the path. Paths use '/' and no leading one. */
public sealed interface FileChange permits FileChange.Put, FileChange.Delete {

  String path();

  static Put put(String path, String text) {
    return new Put(path, text.getBytes(StandardCharsets.UTF_8));
  }

  static Delete delete(String path) {
    return new Delete(path);
  }

  /** Writes {@code content} at {@code path} (a regular file, mode 100644), replacing what was there. */
  record Put(String path, byte[] content) implements FileChange {
    public Put {
      FileChange.check(path);
      content = content.clone();
    }

    @Override
    public byte[] content() {
      return content.clone();
    }
  }

  /** Removes {@code path}; removing a missing path changes nothing. */
  record Delete(String path) implements FileChange {
    public Delete {
      FileChange.check(path);
    }
  }

  private static void check(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")
        || ("/" + path + "/").contains("/../") || ("/" + path + "/").contains("/./")) {
      throw new IllegalArgumentException("change '" + path + "': not a relative path inside the repository");
    }
  }
}
