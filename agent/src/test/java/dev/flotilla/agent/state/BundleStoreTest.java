package dev.flotilla.agent.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleStoreTest {
  @TempDir
  Path dir;

  @Test
  void startsEmpty() throws IOException {
    var store = new BundleStore(dir);

    assertThat(store.current()).isEmpty();
    assertThat(store.previous()).isEmpty();
    assertThat(store.root()).isEmpty();
  }

  @Test
  void thePreviousBundleKeepsTheTimeItWasAccepted() throws IOException {
    var store = new BundleStore(dir);
    store.saveCurrent(bytes("{\"v\":1}"));
    var accepted = java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);
    Files.setLastModifiedTime(store.currentFile(), accepted);

    store.saveCurrent(bytes("{\"v\":2}"));

    assertThat(store.previousSavedAt()).isEqualTo(accepted.toInstant());
  }

  @Test
  void replacingTheCurrentBundleKeepsThePreviousOne() throws IOException {
    var store = new BundleStore(dir);
    store.saveCurrent(bytes("{\"v\":1}"));
    store.saveCurrent(bytes("torn"));

    store.replaceCurrent(bytes("{\"v\":2}"));

    assertThat(store.current()).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("{\"v\":2}")));
    assertThat(store.previous()).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("{\"v\":1}")));
  }

  @Test
  void savesCurrentAndKeepsThePreviousOne() throws IOException {
    var store = new BundleStore(dir);

    store.saveCurrent(bytes("{\"v\":1}"));
    store.saveCurrent(bytes("{\"v\":2}"));
    store.saveCurrent(bytes("{\"v\":3}"));

    assertThat(store.current()).hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("{\"v\":3}"));
    assertThat(store.previous()).hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("{\"v\":2}"));
    assertThat(new BundleStore(dir).current()).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("{\"v\":3}")));
  }

  @Test
  void savesAtomicallyWithPrivateModesAndNoTempFiles() throws IOException {
    var store = new BundleStore(dir);

    store.saveCurrent(bytes("{\"v\":1}"));
    store.saveCurrent(bytes("{\"v\":2}"));
    store.saveRoot(bytes("{\"root\":1}"));

    assertThat(names(dir.resolve("bundles"))).containsExactly("current.json", "previous.json");
    assertThat(names(dir.resolve("trust"))).containsExactly("root.json");
    assertThat(mode(dir.resolve("bundles/current.json"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("bundles"))).isEqualTo("rwx------");
    assertThat(store.root()).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("{\"root\":1}")));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void removesTheTempFilesAnInterruptedSaveLeftAndNothingElse() throws IOException {
    var store = new BundleStore(dir);
    store.saveCurrent("{\"v\":1}".getBytes());
    var bundles = dir.resolve("bundles");
    var leftovers = List.of(Files.writeString(bundles.resolve(".current.json.4471.tmp"), "{\"v\":2"),
        Files.writeString(Files.createDirectories(dir.resolve("trust")).resolve(".root.json.9.tmp"), "{"));
    var foreign = List.of(Files.writeString(bundles.resolve("current.json.4471.tmp"), "x"),
        Files.writeString(bundles.resolve(".notes.1.tmp"), "x"),
        Files.writeString(dir.resolve(".current.json.1.tmp"), "x"));

    assertThat(store.removeTempFiles()).containsExactlyElementsOf(leftovers);
    assertThat(leftovers).allSatisfy(file -> assertThat(file).doesNotExist());
    assertThat(foreign).allSatisfy(file -> assertThat(file).exists());
    assertThat(store.current()).hasValueSatisfying(raw -> assertThat(new String(raw)).isEqualTo("{\"v\":1}"));
  }
}
