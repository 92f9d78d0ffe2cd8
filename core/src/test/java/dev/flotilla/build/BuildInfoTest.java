package dev.flotilla.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The build stamps the project's version into build.properties; the commit is what -Dflotilla.commit said. */
class BuildInfoTest {
  @Test
  void versionIsTheProjectVersion() {
    var build = BuildInfo.current();

    assertThat(build.version()).isEqualTo(System.getProperty("flotilla.expectedVersion"));
    assertThat(build.commit()).isNotBlank().doesNotContain("${");
    assertThat(build.describe()).isEqualTo(build.version() + " (commit " + build.commit() + ")");
  }
}
