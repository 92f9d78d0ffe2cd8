package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.api.ServerTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-signed certificate is made in-process and read back as an operator's PEM files are. */
class SelfSignedTest {
  static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");

  @TempDir
  Path dir;

  @Test
  void certificateNamesEveryHostAndAddressAndItsKeyIsPrivate() throws Exception {
    var certificate = ServerTls.selfSigned(dir, List.of("localhost", "127.0.0.1", "flotilla.example", "::1"));

    var identity = PemFiles.identity(certificate, ServerTls.selfSignedKey(dir));
    var names = identity.chain()[0].getSubjectAlternativeNames().stream().map(n -> n.get(0) + ":" + n.get(1))
        .toList();
    assertThat(names).containsExactly("2:localhost", "7:127.0.0.1", "2:flotilla.example", "7:0:0:0:0:0:0:0:1");
    assertThat(identity.key().getAlgorithm()).isEqualTo("EC");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ServerTls.selfSignedKey(dir))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(ServerTls.selfSignedKey(dir))).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void existingPairIsKept() throws Exception {
    var first = Files.readString(ServerTls.selfSigned(dir, List.of("localhost")));

    assertThat(Files.readString(ServerTls.selfSigned(dir, List.of("other")))).isEqualTo(first);
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() throws Exception {
    SelfSigned.write(SelfSigned.make("a", List.of("a"), NOW, Duration.ofDays(1)), dir.resolve("a.pem"),
        dir.resolve("a.key"));
    SelfSigned.write(SelfSigned.make("b", List.of("b"), NOW, Duration.ofDays(1)), dir.resolve("b.pem"),
        dir.resolve("b.key"));

    assertThatThrownBy(() -> PemFiles.identity(dir.resolve("a.pem"), dir.resolve("b.key")))
        .isInstanceOf(IOException.class)
        .hasMessage("load TLS key '" + dir.resolve("b.key") + "': it is not the key of the certificate in '"
            + dir.resolve("a.pem") + "'; was one of them renewed and not the other?");
  }

  @Test
  void readsTheTraditionalEcKeyFormatOpensslWrites() throws Exception {
    // openssl ecparam -name prime256v1 -genkey -noout; its public half is the second constant
    var key = Files.writeString(dir.resolve("ec.key"), """
        -----BEGIN EC PRIVATE KEY-----
        MHcCAQEEIGVrfgTiX7t3ZDyeP0Zqy2ESsYseX9Bje0sOrQL4w6V5oAoGCCqGSM49
        AwEHoUQDQgAEypiku86Ve9FqXQEwRKGo8OSqZ4Sxr9Z8ZDW58MSiVtAtf+caqX5s
        lZ2DnRRPcGIlvnrKy9ghULaaAI+KYVyDGQ==
        -----END EC PRIVATE KEY-----
        """);
    var publicKey = Files.writeString(dir.resolve("ec.pub"), """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEypiku86Ve9FqXQEwRKGo8OSqZ4Sx
        r9Z8ZDW58MSiVtAtf+caqX5slZ2DnRRPcGIlvnrKy9ghULaaAI+KYVyDGQ==
        -----END PUBLIC KEY-----
        """);

    assertThat(KeyPairs.matches(PemFiles.privateKey(key), dev.flotilla.trust.Keys.readPublic(publicKey))).isTrue();
  }

  @Test
  void keysAreTheJdksEvenWhenBouncyCastleIsARegisteredProvider() throws Exception {
    // Apache MINA sshd (Git over SSH) registers BouncyCastle; its EC keys say 'ECDSA', which JSSE does not serve
    var certificate = ServerTls.selfSigned(dir, List.of("localhost"));
    java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    try {
      var identity = PemFiles.identity(certificate, ServerTls.selfSignedKey(dir));
      assertThat(identity.key().getAlgorithm()).isEqualTo("EC");
      assertThat(new ReloadingKeyManager(certificate, ServerTls.selfSignedKey(dir)).chooseServerAlias("EC", null,
          null)).isEqualTo(ReloadingKeyManager.ALIAS);
    } finally {
      java.security.Security.removeProvider("BC");
    }
  }

  @Test
  void aFileWithoutACertificateIsRefused() throws Exception {
    var empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");

    assertThatThrownBy(() -> PemFiles.certificates(empty)).hasMessage("load TLS certificate '" + empty
        + "': no PEM certificate in it");
  }
}
