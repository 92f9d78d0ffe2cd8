package dev.flotilla.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.schema.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One directory per rule under {@code src/test/resources/checks}: {@code files/} is laid over the valid
 * {@code _base} fleet, {@code delete} lists base files to remove, {@code expected.txt} holds every problem
 * {@code flotilla validate} must print, in order, and {@code holds-back.txt} whom each error holds back in the
 * reconciler ({@link Attribution}). Adding a case is adding a directory. Run with
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
    var actual = problems(name).stream().map(Problem::toString).toList();
    assertGolden(CASES.resolve(name).resolve("expected.txt"), actual);
    assertThat(actual).as("a case must trigger at least one problem").isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void holdsBackWhomEachErrorInvolves(String name) throws IOException {
    var attribution = Attribution.of(problems(name));
    var actual = new ArrayList<String>();
    attribution.fleetWide().forEach(p -> actual.add(p.file() + ":" + p.line() + " holds back everyone"));
    var byProblem = new LinkedHashMap<Problem, List<String>>();
    attribution.tenants().forEach((tenant, problems) -> problems.forEach(p -> byProblem
        .computeIfAbsent(p, k -> new ArrayList<>()).add(tenant)));
    byProblem.forEach((p, tenants) -> actual.add(p.file() + ":" + p.line() + " holds back tenant(s) "
        + String.join(", ", tenants)));
    actual.sort(null);
    assertGolden(CASES.resolve(name).resolve("holds-back.txt"), actual);
  }

  /** Every problem of the base fleet with the case's files laid over it and its deletions made. */
  private List<Problem> problems(String name) throws IOException {
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
    return VALIDATOR.validate(new DirectoryTree(fleet)).problems();
  }

  private static void assertGolden(Path expectedFile, List<String> actual) throws IOException {
    if (Boolean.getBoolean("flotilla.golden.update")) {
      Files.write(expectedFile, actual);
    }
    assertThat(actual).containsExactlyElementsOf(Files.readAllLines(expectedFile));
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
