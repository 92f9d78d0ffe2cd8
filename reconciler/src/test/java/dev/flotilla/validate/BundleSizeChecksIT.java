package dev.flotilla.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.schema.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test fleet plus policies of up to 3 MB of inline content (files of 1 MB, the most a file in a policy may hold; a policy
 * file holds at most 4 MiB) for the store of kiosk-1 and kiosk-2 (an IT for the size
 * of the files it writes and parses, not for anything external): five of them render a bundle over the cap, which
 * {@code flotilla validate} refuses naming the device and the largest policy's line; three stay under it.
 */
class BundleSizeChecksIT {
  @TempDir
  Path fleet;

  @Test
  void refusesAFleetWhoseDeviceWouldGetABundleOverTheCap() throws IOException {
    FleetChecksGoldenTest.copy(FleetChecksGoldenTest.CASES.resolve("_base"), fleet);
    for (int i = 0; i < 3; i++) {
      policy("big-" + i, 1_000_000, 1_000_000, 1_000_000);
    }
    policy("big-3", 1_000_000);
    policy("biggest", 1_040_000, 1_000_000, 1_000_000);

    var problems = FleetChecksGoldenTest.VALIDATOR.validate(new DirectoryTree(fleet)).problems().stream()
        .map(Problem::toString).toList();

    assertThat(problems).as("kiosk-1 and kiosk-2 are in store berlin-01").hasSize(2);
    assertThat(problems.getFirst())
        .startsWith("tenants/acme/devices/kiosk-1.yaml:4:9: error: metadata.name: device 'kiosk-1' would get a"
            + " bundle of about ")
        .contains(" bytes, over the cap of 16 MiB (16777216 bytes) that agents accept; its largest part is"
            + " tenants/acme/policies/biggest.yaml:14 (3040000 characters of content)")
        .endsWith("move large file content into an artifact ('flotilla artifact add'), or narrow the policy's"
            + " selector");
  }

  @Test
  void acceptsAFleetWhoseLargestBundleIsUnderTheCap() throws IOException {
    FleetChecksGoldenTest.copy(FleetChecksGoldenTest.CASES.resolve("_base"), fleet);
    for (int i = 0; i < 3; i++) {
      policy("big-" + i, 1_000_000, 1_000_000, 1_000_000);
    }

    assertThat(FleetChecksGoldenTest.VALIDATOR.validate(new DirectoryTree(fleet)).problems()).isEmpty();
  }

  /** A policy for store berlin-01 with files of these many characters (at most 1 MiB each), in lines of 100. */
  private void policy(String name, int... sizes) throws IOException {
    var yaml = new StringBuilder(String.join("\n", "apiVersion: flotilla.dev/v1", "kind: Policy", "metadata:",
        "  name: " + name, "  tenant: acme", "spec:", "  selector:", "    matchLabels:", "      store: berlin-01",
        "  priority: " + (100 + name.length()), "  state:", "    files:", ""));
    var line = "x".repeat(99);
    for (int i = 0; i < sizes.length; i++) {
      yaml.append("      - path: /etc/").append(name).append('-').append(i).append(".txt\n        content: |\n");
      for (int written = 0; written < sizes[i]; written += 100) {
        yaml.append("          ").append(line).append('\n');
      }
    }
    Files.writeString(fleet.resolve("tenants/acme/policies/" + name + ".yaml"), yaml);
  }
}
