package dev.flotilla.agent.host.files;

import dev.flotilla.io.Leftovers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The temp files {@link HostFiles} writes a file's new content to before renaming it over the file: {@code
 * .<name>.<digits>.flotilla-tmp}, in the file's directory. A crash (or {@code kill -9}) between the two leaves one
 * behind, which the agent removes at its next start ({@link HostFiles#removeTempFiles}).
 */
final class TempFiles {
  private static final String SUFFIX = ".flotilla-tmp";
  /** What {@link #create} makes: {@link Files#createTempFile} puts an unsigned decimal between prefix and suffix. */
  private static final Pattern NAME = Pattern.compile("\\..+\\.[0-9]+" + Pattern.quote(SUFFIX));

  private TempFiles() {}

  /** A new empty temp file for {@code target}, in {@code directory} (its directory), readable by the agent only. */
  static Path create(Path directory, Path target) throws IOException {
    return Files.createTempFile(directory, "." + target.getFileName() + ".", SUFFIX);
  }

  /**
   * Deletes the temp files in {@code directory}: regular files named as {@link #create} names them; never a
   * symlink, a directory or another name. Does not follow a symlink at {@code directory} either.
   *
   * @return the deleted files
   */
  static List<Path> removeIn(Path directory) throws IOException {
    return Leftovers.remove(directory, NAME);
  }

}
