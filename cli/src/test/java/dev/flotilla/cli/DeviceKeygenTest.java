package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.trust.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla device keygen} on a copy of the template fleet: what it refuses; a refusal changes nothing. */
class DeviceKeygenTest {
  static final String DEVICE_FILE = "tenants/acme-retail/devices/pos-berlin-01-1.yaml";

  @TempDir
  Path work;
  Path repo;
  String before;

  @BeforeEach
  void template() throws Exception {
    repo = work.resolve("fleet");
    copy(TemplateTest.TEMPLATE, repo);
    before = Files.readString(repo.resolve(DEVICE_FILE));
  }

  @Test
  void refusesToReplaceAnExistingKeyWithoutForce() throws Exception {
    var out = work.resolve("keys");
    var oldId = Keys.keyId(Keys.parsePublicPem(before.substring(before.indexOf("-----BEGIN"))));

    var run = keygen("pos-berlin-01-1", out);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("flotilla: device 'pos-berlin-01-1' already has a public key (key id "
        + oldId.substring(0, 16) + "); pass --force to replace it (the device must then use the new key)\n");
    assertThat(Files.readString(repo.resolve(DEVICE_FILE))).isEqualTo(before);
    assertThat(out).doesNotExist();
  }

  @Test
  void replacesAnExistingKeyWithForce() throws Exception {
    var out = work.resolve("keys");

    var run = keygen("pos-berlin-01-1", out, "--force");

    assertThat(run.exitCode()).as(run.err()).isZero();
    var after = Files.readString(repo.resolve(DEVICE_FILE));
    var newKey = Keys.parsePublicPem(after.substring(after.indexOf("-----BEGIN")));
    assertThat(Keys.keyId(newKey)).isEqualTo(Keys.keyId(Keys.readPublic(out.resolve("pos-berlin-01-1.pub.pem"))));
    assertThat(run.out()).contains("replaced the public key of device 'pos-berlin-01-1'");
  }

  @Test
  void refusesToWriteThePrivateKeyIntoTheFleetRepo() throws Exception {
    for (var out : new Path[] {repo, repo.resolve("keys/new"), repo.resolve("tenants/../secrets")}) {
      var run = keygen("pos-berlin-01-1", out, "--force");

      assertThat(run.exitCode()).as(out.toString()).isEqualTo(2);
      assertThat(run.err()).isEqualTo("flotilla: keep device keys out of the fleet repo: '" + out + "' is inside '"
          + repo.toRealPath() + "'; pass --out with a directory outside it\n");
    }
    assertThat(Files.readString(repo.resolve(DEVICE_FILE))).isEqualTo(before);
    assertThat(repo.resolve("keys")).doesNotExist();
    assertThat(repo.resolve("pos-berlin-01-1.pem")).doesNotExist();
  }

  @Test
  void refusesAnOutDirThatIsALinkIntoTheFleetRepo() throws Exception {
    var link = Files.createSymbolicLink(work.resolve("link"), repo.resolve("tenants"));

    var run = keygen("pos-berlin-01-1", link, "--force");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("flotilla: keep device keys out of the fleet repo: '" + link + "'");
    assertThat(Files.readString(repo.resolve(DEVICE_FILE))).isEqualTo(before);
  }

  @Test
  void saysInOneLineWhenOutIsAFile() throws Exception {
    var file = Files.writeString(work.resolve("k"), "not a directory");

    var run = keygen("pos-berlin-01-1", file, "--force");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("flotilla: write device keys to '" + file
        + "': it is a file, not a directory; pass --out with a directory\n");
    assertThat(Files.readString(repo.resolve(DEVICE_FILE))).isEqualTo(before);
  }

  @Test
  void saysInOneLineWhenOutCannotBeMade() throws Exception {
    var proc = Path.of("/proc/self/flotilla-keys");
    // procfs refuses new directories even to root, so this fails like an unwritable directory does

    var run = keygen("pos-berlin-01-1", proc, "--force");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("flotilla: write device keys to '" + proc + "': ")
        .endsWith("; pass --out with a directory you can write\n").doesNotContain("Exception").hasLineCount(1);
    assertThat(Files.readString(repo.resolve(DEVICE_FILE))).isEqualTo(before);
  }

  @Test
  void refusesToReplaceKeyFilesAlreadyInOut() throws Exception {
    var out = Files.createDirectories(work.resolve("keys"));
    Files.writeString(out.resolve("pos-berlin-01-1.pem"), "the key the device uses");

    var run = keygen("pos-berlin-01-1", out, "--force");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("flotilla: write device key '" + out.resolve("pos-berlin-01-1.pem")
        + "': it exists; move it away, or pass another --out\n");
    assertThat(Files.readString(out.resolve("pos-berlin-01-1.pem"))).isEqualTo("the key the device uses");
    assertThat(Files.readString(repo.resolve(DEVICE_FILE))).isEqualTo(before);
  }

  private static void copy(Path from, Path to) throws java.io.IOException {
    try (var walk = Files.walk(from)) {
      for (var source : (Iterable<Path>) walk::iterator) {
        var target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  private Run keygen(String device, Path out, String... more) {
    var args = new java.util.ArrayList<>(java.util.List.of("device", "keygen", device, "--repo", repo.toString(),
        "--out", out.toString()));
    args.addAll(java.util.List.of(more));
    return Run.flotilla(args.toArray(String[]::new));
  }
}
