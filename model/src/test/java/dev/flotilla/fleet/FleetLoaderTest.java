package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.schema.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetLoaderTest {
  @TempDir
  Path repo;

  void write(String path, String content) throws IOException {
    var file = repo.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  String device(String name) {
    return "apiVersion: flotilla.dev/v1\nkind: Device\nmetadata:\n  name: " + name
        + "\n  tenant: acme\nspec:\n  channel: prod\n";
  }

  @Test
  void badFileDoesNotStopTheRest() throws IOException {
    write("tenants/acme/devices/k1.yaml", device("k1"));
    Files.write(repo.resolve("tenants/acme/devices/k2.yaml"), new byte[] {0, 1, 2});
    write("tenants/acme/devices/k3.yaml", device("k3"));

    var result = new FleetLoader().load(new DirectoryTree(repo));

    assertThat(result.snapshot().devices()).extracting(Document::path)
        .containsExactly("tenants/acme/devices/k1.yaml", "tenants/acme/devices/k3.yaml");
    assertThat(result.problems()).extracting(Problem::toString)
        .containsExactly("tenants/acme/devices/k2.yaml:1:1: error: binary file (NUL byte at offset 0); "
            + "fleet files are UTF-8 YAML text; put binaries in an artifact");
    assertThat(result.snapshot().rejected("tenants/acme/devices/k2.yaml")).isTrue();
  }

  @Test
  void skipsHiddenFoldersAndNonYamlFiles() throws IOException {
    write(".git/config", "[core]");
    write(".github/workflows/validate.yml", "on: pull_request");
    write("README.md", "# fleet");
    write("tenants/acme/devices/k1.yaml", device("k1"));

    var result = new FleetLoader().load(new DirectoryTree(repo));

    assertThat(result.problems()).isEmpty();
    assertThat(result.snapshot().devices()).hasSize(1);
  }

  @Test
  void bindsTypedValues() throws IOException {
    write("tenants/acme/policies/p.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Policy
        metadata: { name: p, tenant: acme }
        spec:
          selector: {}
          state:
            sysctl: { vm.swappiness: 10 }
            files: [{ path: /etc/motd, content: hi, mode: "0644" }]
        """);

    var result = new FleetLoader().load(new DirectoryTree(repo));

    assertThat(result.problems()).isEmpty();
    var state = result.snapshot().policies().getFirst().resource().getSpec().getState();
    assertThat(state.getSysctl()).containsEntry("vm.swappiness", "10");
    assertThat(state.getFiles().getFirst().getMode()).isEqualTo("0644");
  }
}
