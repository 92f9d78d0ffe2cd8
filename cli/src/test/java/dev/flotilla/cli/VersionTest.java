package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.build.BuildInfo;
import org.junit.jupiter.api.Test;

/** {@code --version} prints the version Maven stamped into the build, and the commit. */
class VersionTest {
  @Test
  void versionIsTheStampedProjectVersionAndCommit() {
    var run = Run.flotilla("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo("flotilla " + BuildInfo.current().version() + " (commit "
        + BuildInfo.current().commit() + ")\n");
    assertThat(BuildInfo.current().version()).isEqualTo(System.getProperty("flotilla.expectedVersion"));
  }
}
