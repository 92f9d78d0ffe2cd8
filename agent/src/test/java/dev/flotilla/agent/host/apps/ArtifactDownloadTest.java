package dev.flotilla.agent.host.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.digest.Digest;
import dev.flotilla.plan.InstallApp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactDownloadTest {
  private static final byte[] GOOD = "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8);
  private static final Map<String, byte[]> SERVED = Map.of("https://a.example/good", GOOD,
      "https://a.example/longer", "#!/bin/sh\necho hi\nrm -rf /\n".getBytes(StandardCharsets.UTF_8),
      "https://a.example/other", "#!/bin/sh\necho ho\n".getBytes(StandardCharsets.UTF_8));
  private final ArtifactDownload download = new ArtifactDownload(url -> {
    var bytes = SERVED.get(url.toString());
    if (bytes == null) {
      throw new IOException("download '" + url + "': server answered 404");
    }
    return new ByteArrayInputStream(bytes);
  });
  @TempDir
  Path dir;

  @Test
  void keepsBytesWhoseDigestIsTheSignedOne() throws IOException {
    var target = dir.resolve("a");

    download.fetch(artifact("https://a.example/good"), target);

    assertThat(target).hasBinaryContent(GOOD);
  }

  @Test
  void stopsReadingAtTheSignedSizeAndLeavesNoFile() {
    var target = dir.resolve("a");

    assertThatThrownBy(() -> download.fetch(artifact("https://a.example/longer"), target))
        .hasMessage("'https://a.example/longer' sends more than the signed " + GOOD.length + " bytes");
    assertThat(target).doesNotExist();
  }

  @Test
  void refusesOtherBytesAndTriesTheNextUrl() throws IOException {
    var target = dir.resolve("a");

    download.fetch(artifact("https://a.example/other", "https://a.example/missing", "https://a.example/good"),
        target);

    assertThat(target).hasBinaryContent(GOOD);
    assertThatThrownBy(() -> download.fetch(artifact("https://a.example/other"), target))
        .hasMessageStartingWith("'https://a.example/other' has sha256:")
        .hasMessageEndingWith("not the signed " + Digest.sha256(GOOD).toString());
    assertThat(target).doesNotExist();
  }

  private static InstallApp.Artifact artifact(String... urls) {
    return new InstallApp.Artifact("hello", Digest.sha256(GOOD).toString(), GOOD.length, List.of(urls), false);
  }
}
