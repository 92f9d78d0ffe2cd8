package dev.flotilla.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.fleet.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One directory per rule under {@code src/test/resources/checks}: {@code files/} is laid over the valid
 * {@code _base} fleet, {@code delete} lists base files to remove, and {@code expected.txt} holds every problem
 * {@code flotilla validate} must print, in order. Adding a case is adding a directory. Run with
 * {@code -Dflotilla.golden.update=true} to rewrite the expectations, then review the diff.
 */
public class FleetChecksGoldenTest {
  static final Path CASES = Path.of("src/test/resources/checks");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
  static final FleetValidator VALIDATOR = new FleetValidator(CLOCK);

  @TempDir
  Path fleet;

  static Stream<String> cases() throws IOException {
    try (var dirs = Files.list(CASES)) {
      return dirs.map(d -> d.getFileName().toString()).filter(n -> !n.startsWith("_")).sorted().toList().stream();
    }
  }

  @Test
  void baseFleetIsValid() throws IOException {
    copy(CASES.resolve("_base"), fleet);
    assertThat(VALIDATOR.validate(new DirectoryTree(fleet)).problems()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsExactlyTheExpectedProblems(String name) throws IOException {
    var dir = CASES.resolve(name);
    copy(CASES.resolve("_base"), fleet);
    copy(dir.resolve("files"), fleet);
    if (Files.exists(dir.resolve("delete"))) {
      for (var path : Files.readAllLines(dir.resolve("delete"))) {
        if (!path.isBlank()) {
          Files.delete(fleet.resolve(path.strip()));
        }
      }
    }
    var actual = VALIDATOR.validate(new DirectoryTree(fleet)).problems().stream().map(Problem::toString).toList();
    var expectedFile = dir.resolve("expected.txt");
    if (Boolean.getBoolean("flotilla.golden.update")) {
      Files.write(expectedFile, actual);
    }
    assertThat(actual).containsExactlyElementsOf(Files.readAllLines(expectedFile));
    assertThat(actual).as("a case must trigger at least one problem").isNotEmpty();
  }

  public static void copy(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (var walk = Files.walk(from)) {
      for (var source : (Iterable<Path>) walk::iterator) {
        var target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

}
