package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No message made from a Git URL or a transport error carries a credential. */
class GitTransportTest {
  @TempDir
  Path dir;

  @Test
  void redactsUserInformationOfEveryUrl() {
    var transport = new GitTransport(GitAccess.NONE);

    assertThat(transport.redact("fetch 'https://bot:s3cret@git.example/fleet.git': not authorized"))
        .isEqualTo("fetch 'https://***@git.example/fleet.git': not authorized");
    assertThat(transport.redact("ssh://git@host:22/fleet.git and HTTP://a:b@c/d"))
        .isEqualTo("ssh://***@host:22/fleet.git and HTTP://***@c/d");
    assertThat(transport.redact("/srv/fleet.git")).isEqualTo("/srv/fleet.git");
  }

  @Test
  void redactsTheTokenWhereverItAppears() throws Exception {
    var token = Files.writeString(dir.resolve("token"), "ghp_0123456789abcdef\n");
    var transport = new GitTransport(new GitAccess(null, null, token, null));

    assertThat(transport.redact("401 for token ghp_0123456789abcdef at https://git.example/x"))
        .isEqualTo("401 for token *** at https://git.example/x");
  }
}
