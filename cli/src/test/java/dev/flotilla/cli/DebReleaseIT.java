package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code packaging/build-debs.sh} publishes beside the packages: lintian passes both (every tag left is
 * overridden with its reason in the package), the signed sums check out with Flotilla and with OpenSSL, and each
 * SBOM names the runtime jlink made and the jars with their Maven coordinates.
 */
class DebReleaseIT {
  @Test
  void lintianFindsNothingNotExplained() throws Exception {
    var debs = BuiltDebs.get();
    for (var name : List.of("flotilla-agent", "flotilla")) {
      var process = new ProcessBuilder("lintian", "--fail-on", "error,warning", "--no-tag-display-limit",
          debs.deb(name, 1).toString()).redirectErrorStream(true).start();
      var output = new String(process.getInputStream().readAllBytes());
      assertThat(process.waitFor()).as(name + ": " + output).isZero();
      assertThat(output.lines().filter(l -> l.matches("^[EW]: .*"))).as(name).isEmpty();
    }
  }

  @Test
  void sumsAreSignedAndEachSbomListsTheRuntimeAndTheJars() throws Exception {
    var debs = BuiltDebs.get();
    var verify = Run.flotilla("release", "verify", "--key", debs.publicKey.toString(), debs.dir.toString());
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    var openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", debs.publicKey.toString(), "-signature",
        debs.dir.resolve("SHA256SUMS.sig").toString(), debs.dir.resolve("SHA256SUMS").toString())
        .redirectErrorStream(true).start();
    assertThat(new String(openssl.getInputStream().readAllBytes()).strip()).isEqualTo("Verified OK");
    assertThat(Files.readString(debs.dir.resolve("SHA256SUMS"))).contains(debs.deb("flotilla-agent", 1)
        .getFileName().toString(), debs.deb("flotilla", 1).getFileName().toString(), ".cdx.json");

    var version = debs.version("flotilla-agent", 1);
    var sbom = new ObjectMapper().readTree(debs.dir.resolve("flotilla-agent_" + version + ".cdx.json").toFile());
    assertThat(sbom.path("specVersion").asText()).isEqualTo("1.6");
    assertThat(sbom.path("metadata").path("component").path("version").asText()).isEqualTo(version);
    var components = sbom.path("components").valueStream().toList();
    assertThat(components).anySatisfy(c -> {
      assertThat(c.path("type").asText()).isEqualTo("platform");
      assertThat(c.path("description").asText()).contains("java.base").doesNotContain("java.net.http");
    });
    assertThat(components).anySatisfy(c -> assertThat(c.path("purl").asText())
        .startsWith("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2."));
    assertThat(components).anySatisfy(c -> {
      assertThat(c.path("name").asText()).isEqualTo("picocli");
      assertThat(c.path("version").asText()).isEqualTo("4.7.7");
    });
    assertThat(components).noneSatisfy(c -> assertThat(c.path("name").asText()).contains("tests"));
    assertThat(components).noneSatisfy(c -> assertThat(c.path("name").asText()).startsWith("/DEBIAN"));
  }
}
