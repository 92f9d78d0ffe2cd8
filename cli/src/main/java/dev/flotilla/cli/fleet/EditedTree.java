package dev.flotilla.cli.fleet;


import dev.flotilla.fleet.FleetTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** A fleet tree with some files put in or replaced: the tree a write or commit of those files would leave. */
public final class EditedTree implements FleetTree {
  private final FleetTree base;
  private final Map<String, byte[]> files = new LinkedHashMap<>();

  /** {@code edits} maps '/'-separated paths to their new text. */
  public EditedTree(FleetTree base, Map<String, String> edits) {
    this.base = base;
    edits.forEach((path, text) -> files.put(path, text.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public List<String> paths() throws IOException {
    var paths = new TreeSet<>(base.paths());
    paths.addAll(files.keySet());
    return List.copyOf(paths);
  }

  @Override
  public byte[] read(String path, int limit) throws IOException {
    var edited = files.get(path);
    return edited == null ? base.read(path, limit) : Arrays.copyOf(edited, Math.min(edited.length, limit + 1));
  }

  @Override
  public long size(String path) throws IOException {
    var edited = files.get(path);
    return edited == null ? base.size(path) : edited.length;
  }

  /** The base's id for files left alone, so a loader's cache still serves them; none for edited files. */
  @Override
  public Optional<String> contentId(String path) {
    return files.containsKey(path) ? Optional.empty() : base.contentId(path);
  }
}
