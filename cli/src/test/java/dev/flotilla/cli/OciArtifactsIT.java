package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.host.apps.ArtifactDownload;
import dev.flotilla.agent.host.apps.OciArtifacts;
import dev.flotilla.cli.artifact.ArtifactFile;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.RegistryLogin;
import dev.flotilla.oci.MediaTypes;
import dev.flotilla.oci.OciReference;
import dev.flotilla.plan.InstallApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifacts through a real OCI registry (docker-registry with Basic auth): {@code artifact push} stores a version
 * and its SBOM as an OCI artifact, skopeo (an independent client) reads the manifest back, and the agent's source
 * pulls it by digest, resuming a download the network cut, falling back across URLs, refusing what does not match.
 */
class OciArtifactsIT {
  @TempDir
  Path work;
  LocalRegistry registry;
  Path repo;
  Path store;
  Path binary;
  Path passwordFile;

  @BeforeEach
  void registryAndAnArtifact() throws Exception {
    registry = new LocalRegistry(Files.createDirectories(work.resolve("registry")));
    repo = Files.createDirectories(work.resolve("fleet"));
    store = work.resolve("store");
    var keys = work.resolve("keys");
    Files.writeString(repo.resolve("fleet.yaml"), "apiVersion: flotilla.dev/v1\nkind: Fleet\nmetadata:\n"
        + "  name: test-fleet\nspec:\n  trustRoot: trust/root.json\n");
    assertThat(Run.flotilla("keys", "init", "--keys", keys.toString(), "--repo", repo.toString()).exitCode()).isZero();
    binary = work.resolve("kiosk-agent");
    var bytes = new byte[3 << 20]; // 3 MiB, so a cut connection leaves work to resume
    new Random(7).nextBytes(bytes);
    Files.write(binary, bytes);
    var added = Run.flotilla("artifact", "add", binary.toString(), "--name", "kiosk-agent", "--version", "2.0.0",
        "--type", "binary", "--url", "https://artifacts.example.com/kiosk-agent-2.0.0", "--store", store.toString(),
        "--keys", keys.toString(), "--repo", repo.toString());
    assertThat(added.exitCode()).as(added.err()).isZero();
    passwordFile = work.resolve("registry-password");
    Files.writeString(passwordFile, LocalRegistry.PASSWORD + "\n");
  }

  @AfterEach
  void stop() throws InterruptedException {
    registry.close();
  }

  private Run push(String... more) {
    var args = new java.util.ArrayList<>(List.of("artifact", "push", "kiosk-agent", "2.0.0", "--to",
        "oci://" + registry.address + "/flotilla/kiosk-agent", "--store", store.toString(), "--repo",
        repo.toString(), "--registry-plain-http"));
    args.addAll(List.of(more));
    return Run.flotilla(args.toArray(String[]::new));
  }

  private OciReference pushed() throws IOException {
    var run = push("--registry-user", LocalRegistry.USER, "--registry-password-file", passwordFile.toString());
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    var urls = ArtifactFile.read(ArtifactFile.path(repo, "kiosk-agent", "2.0.0")).getSpec().getUrls();
    assertThat(urls).hasSize(2);
    return OciReference.parse(urls.get(1).toString());
  }

  private InstallApp.Artifact artifact(String... urls) throws IOException {
    return new InstallApp.Artifact("kiosk-agent", Digest.sha256(binary).toString(), Files.size(binary),
        List.of(urls), false);
  }

  private static RegistryLogin login(String address) {
    var login = new RegistryLogin();
    login.setRegistry(address);
    login.setPlainHttp(true);
    login.setUsername(LocalRegistry.USER);
    return login;
  }

  private OciArtifacts agentSource(String address) {
    var login = login(address);
    login.setPasswordFile(passwordFile.toString());
    return new OciArtifacts(url -> {
      throw new IOException("no HTTP in this test: " + url);
    }, List.of(login));
  }

  @Test
  void pushedArtifactIsAnOciArtifactThatSkopeoReadsAndTheFleetStillValidates() throws Exception {
    var ref = pushed();

    assertThat(ref.registry()).isEqualTo(registry.address);
    var skopeo = new ProcessBuilder("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds",
        LocalRegistry.USER + ":" + LocalRegistry.PASSWORD, "docker://" + registry.address + "/flotilla/kiosk-agent@"
        + ref.digest()).redirectErrorStream(true).start();
    var raw = new String(skopeo.getInputStream().readAllBytes());
    assertThat(skopeo.waitFor()).as(raw).isZero();
    assertThat(Digest.sha256(raw.getBytes())).isEqualTo(ref.digest());
    var manifest = new ObjectMapper().readTree(raw);
    assertThat(manifest.get("artifactType").asText()).isEqualTo(MediaTypes.ARTIFACT);
    assertThat(manifest.get("layers").get(0).get("mediaType").asText()).isEqualTo(MediaTypes.CONTENT);
    assertThat(manifest.get("layers").get(0).get("digest").asText()).isEqualTo(Digest.sha256(binary).toString());
    assertThat(manifest.get("layers").get(1).get("mediaType").asText()).isEqualTo(MediaTypes.SBOM);
    assertThat(Run.flotilla("validate", "--repo", repo.toString()).exitCode()).isZero();

    var again = push("--registry-user", LocalRegistry.USER, "--registry-password-file", passwordFile.toString());
    assertThat(again.exitCode()).isZero();
    assertThat(ArtifactFile.read(ArtifactFile.path(repo, "kiosk-agent", "2.0.0")).getSpec().getUrls()).hasSize(2);
  }

  @Test
  void pushWithoutTheLoginFailsSayingSoAndChangesNothing() throws Exception {
    var before = Files.readString(ArtifactFile.path(repo, "kiosk-agent", "2.0.0"));

    var run = push();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("the registry asks for a login and none is configured for " + registry.address);
    assertThat(Files.readString(ArtifactFile.path(repo, "kiosk-agent", "2.0.0"))).isEqualTo(before);
  }

  @Test
  void agentPullsByDigestAndTheBytesMatchTheSignedOnes() throws Exception {
    var ref = pushed();
    var target = work.resolve("pulled");

    new ArtifactDownload(agentSource(registry.address)).fetch(artifact(ref.toString()), target);

    assertThat(Files.mismatch(target, binary)).isEqualTo(-1);
  }

  @Test
  void aDownloadCutTwiceIsResumedWhereItBrokeOff() throws Exception {
    var ref = pushed();
    try (var proxy = new CuttingProxy(registry.address, 2, 1 << 20)) {
      var viaProxy = new OciReference(proxy.address(), ref.repository(), ref.digest());
      var target = work.resolve("pulled");

      new ArtifactDownload(agentSource(proxy.address())).fetch(artifact(viaProxy.toString()), target);

      assertThat(Files.mismatch(target, binary)).isEqualTo(-1);
      assertThat(proxy.cuts.get()).isEqualTo(2);
      assertThat(Files.readString(registry.log)).contains("\"GET /v2/flotilla/kiosk-agent/blobs/"
          + Digest.sha256(binary));
    }
  }

  @Test
  void fallsBackToTheNextListedUrlWhenARegistryIsDown() throws Exception {
    var ref = pushed();
    String dead;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = "127.0.0.1:" + socket.getLocalPort();
    }
    var target = work.resolve("pulled");
    var deadRef = new OciReference(dead, ref.repository(), ref.digest());

    new ArtifactDownload(agentSource(registry.address)).fetch(artifact(deadRef.toString(), ref.toString()), target);

    assertThat(Files.mismatch(target, binary)).isEqualTo(-1);
  }

  @Test
  void refusesAManifestOfAnotherDigestAndArtifactsThatAreNotFlotillas() throws Exception {
    var ref = pushed();
    var target = work.resolve("pulled");
    var sbomOnly = new OciReference(ref.registry(), ref.repository(), Digest.sha256(new byte[] {1}));

    assertThatThrownBy(() -> new ArtifactDownload(agentSource(registry.address)).fetch(artifact(sbomOnly.toString()),
        target)).hasMessageContaining("fetch manifest " + sbomOnly).hasMessageContaining("answered 404");
    assertThat(target).doesNotExist();

    var wrongSize = new InstallApp.Artifact("kiosk-agent", Digest.sha256(binary).toString(), Files.size(binary) - 1,
        List.of(ref.toString()), false);
    assertThatThrownBy(() -> new ArtifactDownload(agentSource(registry.address)).fetch(wrongSize, target))
        .hasMessageContaining("sends more than the signed");
    assertThat(target).doesNotExist();
  }

  @Test
  void aWrongPasswordIsReportedWithoutShowingIt() throws Exception {
    var ref = pushed();
    Files.writeString(passwordFile, "not-the-password\n");

    assertThatThrownBy(() -> new ArtifactDownload(agentSource(registry.address)).fetch(artifact(ref.toString()),
        work.resolve("pulled"))).hasMessageContaining("answered 401").hasMessageContaining("check the registry login")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password"));
  }

  /** A TCP proxy to the registry that cuts the first {@code cuts} blob downloads after {@code after} bytes. */
  static final class CuttingProxy implements AutoCloseable {
    final AtomicInteger cuts = new AtomicInteger();
    private final ServerSocket server;
    private final String upstream;
    private final int limit;
    private final long after;
    private final AtomicBoolean open = new AtomicBoolean(true);

    CuttingProxy(String upstream, int limit, long after) throws IOException {
      this.upstream = upstream;
      this.limit = limit;
      this.after = after;
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(this::accept);
    }

    String address() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
      while (open.get()) {
        try {
          var client = server.accept();
          var colon = upstream.indexOf(':');
          var target = new Socket(upstream.substring(0, colon), Integer.parseInt(upstream.substring(colon + 1)));
          var request = client.getInputStream();
          Thread.ofVirtual().start(() -> pipe(request, target, Long.MAX_VALUE, client));
          Thread.ofVirtual().start(() -> {
            try {
              var cut = cuts.get() < limit;
              pipe(target.getInputStream(), client, cut ? after : Long.MAX_VALUE, target);
            } catch (IOException e) {
              // closed
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    }

    /** Copies until EOF, or cuts both sockets after {@code max} bytes of a large answer (a blob). */
    private void pipe(InputStream in, Socket out, long max, Socket other) {
      try (in; OutputStream sink = out.getOutputStream()) {
        var buffer = new byte[16384];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
          sink.write(buffer, 0, n);
          total += n;
          if (total >= max) {
            cuts.incrementAndGet();
            out.close();
            other.close();
            return;
          }
        }
      } catch (IOException e) {
        // one side closed
      }
    }

    @Override
    public void close() throws IOException {
      open.set(false);
      server.close();
    }
  }
}
