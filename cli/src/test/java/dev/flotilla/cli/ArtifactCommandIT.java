package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.artifact.ArtifactFile;
import dev.flotilla.digest.Digest;
import dev.flotilla.publish.ArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cyclonedx.model.Component;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCommandIT {
  @TempDir
  Path work;
  Path repo;
  Path keys;
  Path store;
  Path tarball;

  @BeforeEach
  void fleetWithKeysAndABuild() throws Exception {
    repo = work.resolve("fleet");
    keys = work.resolve("keys");
    store = work.resolve("store");
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("fleet.yaml"), "apiVersion: flotilla.dev/v1\nkind: Fleet\nmetadata:\n"
        + "  name: test-fleet\nspec:\n  trustRoot: trust/root.json\n");
    assertThat(Run.flotilla("keys", "init", "--keys", keys.toString(), "--repo", repo.toString()).exitCode()).isZero();
    var build = Files.createDirectories(work.resolve("build/kiosk-ui/bin"));
    Files.writeString(build.resolve("kiosk-ui"), "#!/bin/sh\necho kiosk\n");
    Files.writeString(build.getParent().resolve("README"), "kiosk ui\n");
    var deep = Files.createDirectories(build.getParent().resolve("share/" + "long-directory-name-".repeat(6)));
    Files.writeString(deep.resolve("splash.png"), "png");
    tarball = work.resolve("kiosk-ui-1.6.0.tar.gz");
    var tar = new ProcessBuilder("tar", "-czf", tarball.toString(), "-C", work.resolve("build").toString(), "kiosk-ui")
        .inheritIO().start();
    assertThat(tar.waitFor()).isZero();
  }

  Run add(Path file, String version) {
    return Run.flotilla("artifact", "add", file.toString(), "--name", "kiosk-ui", "--version", version,
        "--url", "https://artifacts.example.com/kiosk-ui-" + version + ".tar.gz", "--store", store.toString(),
        "--keys", keys.toString(), "--repo", repo.toString(), "--source-commit", "0123abc", "--builder", "ci");
  }

  Run verify(String... more) {
    var args = new java.util.ArrayList<>(java.util.List.of("artifact", "verify", "kiosk-ui", "1.6.0", "--repo",
        repo.toString()));
    args.addAll(java.util.List.of(more));
    return Run.flotilla(args.toArray(String[]::new));
  }

  @Test
  void addsSignedArtifactThatVerifiesAndValidates() throws IOException {
    var hex = Digest.sha256(tarball).hex();

    var added = add(tarball, "1.6.0");
    assertThat(added.err()).isEmpty();
    assertThat(added.exitCode()).isZero();
    assertThat(added.out()).startsWith("wrote artifacts/kiosk-ui/1.6.0.yaml: sha256:" + hex + ", "
        + Files.size(tarball) + " bytes, signed by ");
    var file = Files.readString(repo.resolve("artifacts/kiosk-ui/1.6.0.yaml"));
    assertThat(file).startsWith(ArtifactFile.MODELINE + "\n").contains("  digest: sha256:" + hex + "\n")
        .contains("    sourceCommit: \"0123abc\"\n");
    assertThat(Files.readAllBytes(store.resolve("sha256").resolve(hex))).isEqualTo(Files.readAllBytes(tarball));

    var checked = verify("--file", tarball.toString(), "--store", store.toString());
    assertThat(checked.err()).isEmpty();
    assertThat(checked.exitCode()).isZero();
    assertThat(checked.out()).startsWith("artifacts/kiosk-ui/1.6.0.yaml: signature ok (artifact-signer ")
        .contains("digest and size match").contains("SBOM digest matches");
    assertThat(Run.flotilla("validate", repo.toString(), "--strict").exitCode()).isZero();
  }

  @Test
  void sbomParsesBackWithTheArtifactAndEachFileOfTheTarball() throws Exception {
    add(tarball, "1.6.0");
    var sbomDigest = Files.readString(repo.resolve("artifacts/kiosk-ui/1.6.0.yaml")).lines()
        .dropWhile(l -> !l.equals("  sbom:")).skip(1).findFirst().orElseThrow().replace("    digest: sha256:", "");
    var sbom = new ArtifactStore(store).find(sbomDigest).orElseThrow();

    var bom = new JsonParser().parse(sbom.toFile());
    assertThat(new JsonParser().validate(sbom.toFile(), org.cyclonedx.Version.VERSION_16)).isEmpty();
    assertThat(bom.getMetadata().getComponent().getName()).isEqualTo("kiosk-ui");
    assertThat(bom.getMetadata().getComponent().getVersion()).isEqualTo("1.6.0");
    assertThat(bom.getMetadata().getComponent().getHashes().getFirst().getValue())
        .isEqualTo(Digest.sha256(tarball).hex());
    assertThat(bom.getComponents()).extracting(Component::getName)
        .containsExactlyInAnyOrder("kiosk-ui/README", "kiosk-ui/bin/kiosk-ui",
            "kiosk-ui/share/" + "long-directory-name-".repeat(6) + "/splash.png");
    var script = bom.getComponents().stream().filter(c -> c.getName().endsWith("bin/kiosk-ui")).findFirst().orElseThrow();
    assertThat(script.getHashes().getFirst().getValue())
        .isEqualTo(Digest.sha256("#!/bin/sh\necho kiosk\n".getBytes()).hex());
  }

  @Test
  void tamperedFileFailsWithDifferences() throws IOException {
    add(tarball, "1.6.0");
    var tampered = work.resolve("tampered.tar.gz");
    var bytes = Files.readAllBytes(tarball);
    bytes[bytes.length / 2] ^= 1;
    Files.write(tampered, bytes);

    var run = verify("--file", tampered.toString());
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).startsWith("flotilla: verify artifact 'kiosk-ui' version '1.6.0': '" + tampered + "' is sha256:")
        .endsWith("; do not ship it\n").hasLineCount(1);
  }

  @Test
  void artifactFileChangedAfterSigningFails() throws IOException {
    add(tarball, "1.6.0");
    var file = repo.resolve("artifacts/kiosk-ui/1.6.0.yaml");
    Files.writeString(file, Files.readString(file).replace("  type: tarball", "  type: binary"));

    var run = verify();
    assertThat(run).isEqualTo(new Run(1, "", "flotilla: verify artifact 'kiosk-ui' version '1.6.0': the signature"
        + " does not match its name, version, type, digest, size and SBOM digest; they were changed after signing"
        + " (artifacts/kiosk-ui/1.6.0.yaml)\n"));
  }

  @Test
  void refusesNewContentForAnExistingVersionButAcceptsTheSameAgain() throws IOException {
    assertThat(add(tarball, "1.6.0").exitCode()).isZero();
    assertThat(add(tarball, "1.6.0").exitCode()).isZero();
    var other = work.resolve("other.tar.gz");
    Files.write(other, new byte[] {1, 2, 3});

    var run = add(other, "1.6.0");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("flotilla: add artifact 'kiosk-ui' version '1.6.0': artifacts/kiosk-ui/1.6.0.yaml"
        + " exists with digest sha256:" + Digest.sha256(tarball).hex()).endsWith("give this build a new version\n");
  }

  @Test
  void addWithoutTheKeysSaysWhichFileIsMissing() {
    var run = Run.flotilla("artifact", "add", tarball.toString(), "--name", "kiosk-ui", "--version", "1.6.0",
        "--url", "https://artifacts.example.com/k.tar.gz", "--keys", work.resolve("nokeys").toString(),
        "--repo", repo.toString());

    assertThat(run).isEqualTo(new Run(1, "", "flotilla: read artifact-signer key '" + work.resolve("nokeys")
        + "/artifact-signer.pem': no such file; pass --keys with the directory 'flotilla keys init' wrote\n"));
    assertThat(repo.resolve("artifacts")).doesNotExist();
  }

  @Test
  void addNeedsAUrlAndVerifyNeedsTheFile() {
    var run = Run.flotilla("artifact", "add", tarball.toString(), "--name", "kiosk-ui", "--version", "1.6.0",
        "--keys", keys.toString(), "--repo", repo.toString());
    assertThat(run).isEqualTo(new Run(2, "", "flotilla: add artifact 'kiosk-ui': give at least one --url devices"
        + " can download it from\n"));

    assertThat(verify()).isEqualTo(new Run(1, "", "flotilla: verify artifact 'kiosk-ui' version '1.6.0': no"
        + " artifacts/kiosk-ui/1.6.0.yaml; add it with 'flotilla artifact add'\n"));
  }

  @Test
  void refusesAnArtifactOfATenantThatDoesNotExistAndWritesNothing() throws IOException {
    var run = Run.flotilla("artifact", "add", tarball.toString(), "--name", "kiosk-ui", "--version", "1.6.0",
        "--url", "https://artifacts.example.com/k.tar.gz", "--store", store.toString(), "--keys", keys.toString(),
        "--repo", repo.toString(), "--tenant", "nosuch");

    assertThat(run).isEqualTo(new Run(2, "", "flotilla: add artifact 'kiosk-ui': --tenant 'nosuch': tenant 'nosuch'"
        + " does not exist; name a tenant of tenants/, or leave --tenant out to share the artifact fleet-wide\n"));
    assertThat(repo.resolve("artifacts")).doesNotExist();
    assertThat(store).doesNotExist();
    assertThat(Run.flotilla("validate", repo.toString()).exitCode()).isZero();
  }

  @Test
  void refusesProvenanceTheSchemaRejectsNamingTheFlag() throws IOException {
    var run = Run.flotilla("artifact", "add", tarball.toString(), "--name", "kiosk-ui", "--version", "1.6.0",
        "--url", "https://artifacts.example.com/k.tar.gz", "--keys", keys.toString(), "--repo", repo.toString(),
        "--source-commit", "not a sha");

    assertThat(run).isEqualTo(new Run(2, "", "flotilla: add artifact 'kiosk-ui': --source-commit: 'not a sha' is not"
        + " a valid value here; the commit it was built from\n"));
    assertThat(repo.resolve("artifacts")).doesNotExist();
    assertThat(tarball.resolveSibling(tarball.getFileName() + ".cdx.json")).doesNotExist();
  }
}
