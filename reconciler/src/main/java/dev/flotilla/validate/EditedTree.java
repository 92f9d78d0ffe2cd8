package dev.flotilla.validate;

import dev.flotilla.fleet.FleetTree;
import dev.flotilla.git.FileChange;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A fleet tree with some files put, replaced or deleted: the tree a commit of those changes would leave. */
public final class EditedTree implements FleetTree {
  private final FleetTree base;
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final Set<String> deleted = new HashSet<>();

  public EditedTree(FleetTree base, List<FileChange> changes) {
    this.base = base;
    for (var change : changes) {
      switch (change) {
        case FileChange.Put put -> {
          files.put(put.path(), put.content());
          deleted.remove(put.path());
        }
        case FileChange.Delete delete -> {
          files.remove(delete.path());
          deleted.add(delete.path());
        }
      }
    }
  }

  @Override
  public List<String> paths() throws IOException {
    var paths = new TreeSet<>(base.paths());
    paths.removeAll(deleted);
    paths.addAll(files.keySet());
    return List.copyOf(paths);
  }

  @Override
  public byte[] read(String path, int limit) throws IOException {
    if (deleted.contains(path)) {
      throw new NoSuchFileException(path);
    }
    var edited = files.get(path);
    return edited == null ? base.read(path, limit) : Arrays.copyOf(edited, Math.min(edited.length, limit + 1));
  }

  @Override
  public long size(String path) throws IOException {
    if (deleted.contains(path)) {
      throw new NoSuchFileException(path);
    }
    var edited = files.get(path);
    return edited == null ? base.size(path) : edited.length;
  }

  /** The base's id for files left alone, so a loader's cache still serves them; none for edited files. */
  @Override
  public Optional<String> contentId(String path) {
    return files.containsKey(path) || deleted.contains(path) ? Optional.empty() : base.contentId(path);
  }
}
