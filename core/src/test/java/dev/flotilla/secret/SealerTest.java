package dev.flotilla.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.trust.Keys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class SealerTest {
  private static final KeyPair KIOSK = Keys.generate();
  private static final KeyPair OTHER = Keys.generate();
  private static final byte[] VALUE = "wpa-psk correct horse".getBytes(StandardCharsets.UTF_8);

  private static SealedSecret sealed(long serial) {
    return Sealer.seal("wifi-psk", "kiosk-1", KIOSK.getPublic(), serial, VALUE);
  }

  @Test
  void opensWhatWasSealedForThisDevice() throws SealException {
    var sealed = sealed(3);
    assertThat(sealed.keyFingerprint()).isEqualTo(Keys.keyId(KIOSK.getPublic()));
    assertThat(sealed.ciphertext()).hasSize(65 + VALUE.length + 16);
    assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("correct horse");
    assertThat(Sealer.open(sealed, "wifi-psk", "kiosk-1", KIOSK, 3)).isEqualTo(VALUE);
  }

  @Test
  void sealsEachTimeAnew() {
    assertThat(sealed(1).ciphertext()).isNotEqualTo(sealed(1).ciphertext());
  }

  @Test
  void refusesAnotherDevicesKey() {
    assertThatThrownBy(() -> Sealer.open(sealed(1), "wifi-psk", "kiosk-1", OTHER, 0))
        .isInstanceOf(SealException.class)
        .hasMessageStartingWith("open sealed secret 'wifi-psk': it was sealed to key ")
        .hasMessageEndingWith("; run 'flotilla secret reseal wifi-psk'");
  }

  @Test
  void refusesCiphertextOfAnotherDeviceEvenWhenRelabelled() {
    var forOther = Sealer.seal("wifi-psk", "kiosk-2", OTHER.getPublic(), 1, VALUE);
    var relabelled = new SealedSecret("wifi-psk", "kiosk-1", Keys.keyId(KIOSK.getPublic()), 1, forOther.ciphertext());
    assertThatThrownBy(() -> Sealer.open(forOther, "wifi-psk", "kiosk-1", KIOSK, 0))
        .hasMessage("open sealed secret 'wifi-psk': it was sealed for device 'kiosk-2', not 'kiosk-1'");
    assertThatThrownBy(() -> Sealer.open(relabelled, "wifi-psk", "kiosk-1", KIOSK, 0))
        .isInstanceOf(SealException.class).hasMessageContaining("was changed");
  }

  @Test
  void refusesAnotherKeyWhenOnlyThePrivateKeyIsKnown() {
    assertThatThrownBy(() -> Sealer.open(sealed(1), "wifi-psk", "kiosk-1", OTHER.getPrivate(), null, 0))
        .isInstanceOf(SealException.class).hasMessageContaining("does not open with this device's key");
  }

  @Test
  void refusesTamperedCiphertext() {
    var bytes = sealed(1).ciphertext();
    bytes[70] ^= 1;
    var tampered = new SealedSecret("wifi-psk", "kiosk-1", Keys.keyId(KIOSK.getPublic()), 1, bytes);
    assertThatThrownBy(() -> Sealer.open(tampered, "wifi-psk", "kiosk-1", KIOSK, 0))
        .hasMessage("open sealed secret 'wifi-psk': it does not open with this device's key, or the ciphertext or"
            + " its name, device, key or serial was changed; if the device's key changed, run 'flotilla secret"
            + " reseal wifi-psk'");
  }

  @Test
  void refusesTruncatedCiphertext() {
    var truncated = new SealedSecret("wifi-psk", "kiosk-1", Keys.keyId(KIOSK.getPublic()), 1, new byte[40]);
    assertThatThrownBy(() -> Sealer.open(truncated, "wifi-psk", "kiosk-1", KIOSK, 0))
        .hasMessage("open sealed secret 'wifi-psk': the ciphertext is truncated");
  }

  @Test
  void refusesSwappedName() {
    var apiToken = Sealer.seal("api-token", "kiosk-1", KIOSK.getPublic(), 1, VALUE);
    var swapped = new SealedSecret("wifi-psk", "kiosk-1", apiToken.keyFingerprint(), 1, apiToken.ciphertext());
    assertThatThrownBy(() -> Sealer.open(apiToken, "wifi-psk", "kiosk-1", KIOSK, 0))
        .hasMessage("open sealed secret 'wifi-psk': it was sealed as 'api-token'; seal it under this name");
    assertThatThrownBy(() -> Sealer.open(swapped, "wifi-psk", "kiosk-1", KIOSK, 0))
        .isInstanceOf(SealException.class).hasMessageContaining("was changed");
  }

  @Test
  void refusesReplayedOldCiphertext() {
    var old = sealed(1);
    var relabelled = new SealedSecret("wifi-psk", "kiosk-1", old.keyFingerprint(), 2, old.ciphertext());
    assertThatThrownBy(() -> Sealer.open(old, "wifi-psk", "kiosk-1", KIOSK, 2))
        .hasMessage("open sealed secret 'wifi-psk': serial 1 is older than serial 2 already written; an old value"
            + " was put back, seal the current one again");
    assertThatThrownBy(() -> Sealer.open(relabelled, "wifi-psk", "kiosk-1", KIOSK, 2))
        .isInstanceOf(SealException.class).hasMessageContaining("was changed");
  }

  @Test
  void neverShowsTheValue() {
    var sealed = sealed(1);
    assertThat(sealed.toString()).isEqualTo("<sealed wifi-psk for kiosk-1, serial 1>");
  }
}
