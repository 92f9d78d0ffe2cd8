package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.console.ProblemFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @TempDir
  Path repo;

  void write(String path, String content) throws IOException {
    var file = repo.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  @BeforeEach
  void smallFleet() throws IOException {
    Files.createDirectories(repo.resolve("trust"));
    Files.copy(Run.HOME.resolve("reconciler/src/test/resources/checks/_base/trust/root.json"),
        repo.resolve("trust/root.json"));
    write("fleet.yaml", "apiVersion: flotilla.dev/v1\nkind: Fleet\nmetadata:\n  name: test-fleet\n"
        + "spec:\n  trustRoot: trust/root.json\n");
    write("tenants/acme/tenant.yaml", "apiVersion: flotilla.dev/v1\nkind: Tenant\nmetadata:\n  name: acme\n"
        + "spec:\n  displayName: Acme\n");
    write("tenants/acme/devices/k1.yaml", "apiVersion: flotilla.dev/v1\nkind: Device\nmetadata:\n  name: k1\n"
        + "  tenant: acme\nspec:\n  channel: prod\n");
  }

  @Test
  void templateFleetIsValid() {
    var run = Run.flotilla("validate", Run.HOME.resolve("fleet-repo-template").toString(), "--strict");

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("fleet is valid: 2 tenants, ");
    assertThat(run.exitCode()).isEqualTo(0);
  }

  @Test
  void validFleetExitsZero() {
    var run = Run.flotilla("validate", repo.toString());

    assertThat(run).isEqualTo(new Run(0, "fleet is valid: 1 tenant, 1 device\n", ""));
  }

  @Test
  void problemsAreListedAndExitOne() throws IOException {
    write("tenants/acme/devices/k2.yaml", "apiVersion: flotilla.dev/v1\nkind: Device\nmetadata:\n  name: k2\n"
        + "  tenant: acme\nspec:\n  channel: production\n");
    Files.write(repo.resolve("tenants/acme/devices/k3.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});

    var run = Run.flotilla("validate", repo.toString());

    assertThat(run.out()).isEqualTo("""
        tenants/acme/devices/k2.yaml:7:12: error: spec.channel: 'production' is not one of dev, canary, prod
        tenants/acme/devices/k3.yaml:1:3: error: binary file (NUL byte at offset 2); \
        fleet files are UTF-8 YAML text; put binaries in an artifact
        fleet is invalid: 2 errors, 0 warnings; checked 1 tenant, 1 device
        """);
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isEqualTo(1);
  }

  @Test
  void warningsFailOnlyWithStrict() throws IOException {
    write("tenants/acme/policies/p.yaml", "apiVersion: flotilla.dev/v1\nkind: Policy\nmetadata:\n  name: p\n"
        + "  tenant: acme\nspec:\n  selector:\n    matchLabels:\n      store: nowhere\n  state: {}\n");

    var lenient = Run.flotilla("validate", repo.toString());
    var strict = Run.flotilla("validate", "--strict", repo.toString());

    assertThat(lenient.exitCode()).isEqualTo(0);
    assertThat(lenient.out()).endsWith("fleet is valid with 1 warning: 1 tenant, 1 device, 1 policy\n");
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.out()).contains("tenants/acme/policies/p.yaml:8:5: warning: spec.selector: selector matches "
        + "no device of tenant 'acme'").endsWith("(--strict fails on warnings); checked 1 tenant, 1 device, 1 policy\n");
  }

  @Test
  void githubOutputIsWorkflowAnnotations() throws IOException {
    write("tenants/acme/devices/k1.yaml", "apiVersion: flotilla.dev/v1\nkind: Device\nmetadata:\n  name: k1\n"
        + "  tenant: acme\nspec:\n  chanel: prod\n");

    var run = Run.flotilla("validate", "--output", "github", repo.toString());

    assertThat(run.out().lines()).containsExactly(
        "::error file=tenants/acme/devices/k1.yaml,line=7,col=3,title=spec::missing required field 'channel'; "
            + "'channel': the release channel; rollouts reach dev, then canary, then prod",
        "::error file=tenants/acme/devices/k1.yaml,line=7,col=11,title=spec.chanel::unknown field 'chanel'; "
            + "did you mean 'channel'?",
        "fleet is invalid: 2 errors, 0 warnings; checked 1 tenant");
    assertThat(run.exitCode()).isEqualTo(1);
  }

  @Test
  void jsonOutputCarriesEveryField() throws IOException {
    Files.writeString(repo.resolve("tenants/acme/devices/k1.yaml"), "");

    var run = Run.flotilla("validate", "-o", "json", repo.toString());

    var json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("valid").asBoolean()).isFalse();
    assertThat(json.path("errors").asInt()).isEqualTo(1);
    var problem = json.path("problems").path(0);
    assertThat(problem.path("file").asText()).isEqualTo("tenants/acme/devices/k1.yaml");
    assertThat(problem.path("line").asInt()).isEqualTo(1);
    assertThat(problem.path("severity").asText()).isEqualTo("error");
    assertThat(problem.path("message").asText()).isEqualTo("file is empty");
    assertThat(run.exitCode()).isEqualTo(1);
  }

  @Test
  void escapesAnnotationProperties() {
    assertThat(ProblemFormat.property("a:b,c%\n")).isEqualTo("a%3Ab%2Cc%25%0A");
    assertThat(ProblemFormat.data("50% done\r\n")).isEqualTo("50%25 done%0D%0A");
  }

  @Test
  void missingDirectoryIsAUsageError() {
    var run = Run.flotilla("validate", repo.resolve("nope").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("flotilla: validate '" + repo.resolve("nope")
        + "': no such directory; pass the fleet repo's root\n");
  }

  @Test
  void aDirectoryThatIsNoFleetRepoIsOneUsageErrorNotOneProblemPerFile() throws Exception {
    var elsewhere = Files.createDirectories(repo.resolveSibling("elsewhere").resolve("src"));
    Files.writeString(elsewhere.resolve("notes.txt"), "x");

    var run = Run.flotilla("validate", elsewhere.getParent().toString());

    assertThat(run).isEqualTo(new Run(2, "", "flotilla: validate '" + elsewhere.getParent() + "': no fleet.yaml and"
        + " no tenants/ here, so it is not a fleet repo; pass the repo's root, or start one from"
        + " fleet-repo-template\n"));
  }

  @Test
  void unknownOutputFormatIsAUsageError() {
    var run = Run.flotilla("validate", "--output", "xml", repo.toString());

    assertThat(run).isEqualTo(new Run(2, "", "flotilla: unknown output format 'xml'; use one of text, json, github\n"));
  }

  @Test
  void unknownOptionIsAUsageError() {
    var run = Run.flotilla("validate", "--frobnicate");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("flotilla: Unknown option: '--frobnicate'\nsee 'flotilla validate --help'\n");
  }
}
