package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader reuses what it read of a file whose content id did not change, and only that. */
class FleetLoaderCacheTest {
  @TempDir
  Path repo;

  /** A directory that gives each file's sha256 as its content id, as a Git tree gives blob ids, and counts reads. */
  final class HashedTree implements FleetTree {
    final DirectoryTree files = new DirectoryTree(repo);
    final List<String> reads = new ArrayList<>();

    @Override
    public List<String> paths() throws IOException {
      return files.paths();
    }

    @Override
    public synchronized byte[] read(String path, int limit) throws IOException {
      reads.add(path);
      return files.read(path, limit);
    }

    @Override
    public long size(String path) throws IOException {
      return files.size(path);
    }

    @Override
    public Optional<String> contentId(String path) {
      try {
        var bytes = Files.readAllBytes(repo.resolve(path));
        return Optional.of(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
      } catch (IOException | NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  void write(String path, String content) throws IOException {
    var file = repo.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  static String device(String name, String channel) {
    return "apiVersion: flotilla.dev/v1\nkind: Device\nmetadata:\n  name: " + name
        + "\n  tenant: acme\nspec:\n  channel: " + channel + "\n";
  }

  @Test
  void unchangedFilesAreNotReadAgainAndGiveTheSameResult() throws IOException {
    write("tenants/acme/devices/k1.yaml", device("k1", "prod"));
    write("tenants/acme/devices/k2.yaml", device("k2", "nightly"));
    var loader = new FleetLoader();
    var tree = new HashedTree();
    var first = loader.load(tree);
    tree.reads.clear();

    var second = loader.load(tree);

    assertThat(tree.reads).isEmpty();
    assertThat(second.snapshot().devices()).containsExactlyElementsOf(first.snapshot().devices());
    assertThat(second.problems()).isEqualTo(first.problems()).hasSize(1);
    assertThat(second.snapshot().rejected("tenants/acme/devices/k2.yaml")).isTrue();
  }

  @Test
  void aChangedFileIsReadAgain() throws IOException {
    write("tenants/acme/devices/k1.yaml", device("k1", "prod"));
    write("tenants/acme/devices/k2.yaml", device("k2", "nightly"));
    var loader = new FleetLoader();
    var tree = new HashedTree();
    loader.load(tree);
    tree.reads.clear();
    write("tenants/acme/devices/k2.yaml", device("k2", "canary"));

    var result = loader.load(tree);

    assertThat(tree.reads).containsExactly("tenants/acme/devices/k2.yaml");
    assertThat(result.problems()).isEmpty();
    assertThat(result.snapshot().devices()).extracting(d -> d.resource().getSpec().getChannel().value())
        .containsExactly("prod", "canary");
  }

  @Test
  void keepsOnlyTheFilesOfTheLatestTree() throws IOException {
    write("tenants/acme/devices/k1.yaml", device("k1", "prod"));
    write("tenants/acme/devices/k2.yaml", device("k2", "prod"));
    var loader = new FleetLoader();
    var tree = new HashedTree();
    loader.load(tree);
    Files.delete(repo.resolve("tenants/acme/devices/k2.yaml"));
    assertThat(loader.load(tree).snapshot().devices()).hasSize(1);
    write("tenants/acme/devices/k2.yaml", device("k2", "prod"));
    tree.reads.clear();

    var result = loader.load(tree);

    assertThat(tree.reads).containsExactly("tenants/acme/devices/k2.yaml");
    assertThat(result.snapshot().devices()).hasSize(2);
  }
}
