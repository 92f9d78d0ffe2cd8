package dev.flotilla.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Why a pasted value is not a public key PEM block, said without repeating it. */
class PemTextTest {
  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '"', textBlock = """
      "" => it is empty
      MFkwEwYH => no '-----BEGIN PUBLIC KEY-----' line
      ecdsa-sha2-nistp256 AAAAE2VjZHNh host => an OpenSSH key; convert it with 'ssh-keygen -e -m PKCS8 -f KEY.pub'
      -----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE----- => a '-----BEGIN CERTIFICATE-----' block, not '-----BEGIN PUBLIC KEY-----'
      -----BEGIN EC PRIVATE KEY-----\\nMHcC\\n-----END EC PRIVATE KEY----- => a private key, not the public key; make a new pair, this one is no longer secret
      key:\\n-----BEGIN PUBLIC KEY-----\\nMFkw\\n-----END PUBLIC KEY----- => text before the '-----BEGIN PUBLIC KEY-----' line
      -----BEGIN PUBLIC KEY-----\\nMFkw\\n => no '-----END PUBLIC KEY-----' line
      -----BEGIN PUBLIC KEY-----\\nMFkw\\n-----END PUBLIC KEY-----\\nx => text after the '-----END PUBLIC KEY-----' line
      -----BEGIN PUBLIC KEY----- MFkw -----END PUBLIC KEY----- => the BEGIN and END markers are not lines of their own; write the key as 'publicKey: |'
      -----BEGIN PUBLIC KEY-----\\n\\n-----END PUBLIC KEY----- => no base64 between the BEGIN and END lines
      -----BEGIN PUBLIC KEY-----\\nMFkw \\n-----END PUBLIC KEY----- => a space in the base64
      -----BEGIN PUBLIC KEY-----\\nMFkw\\r\\n-----END PUBLIC KEY----- => a carriage return in the base64
      """)
  void namesWhatIsWrong(String text, String reason) {
    var pem = text.replace("\\n", "\n").replace("\\r", "\r");
    assertThat(PemText.whyNot(pem)).isEqualTo(reason).doesNotContain("MFkw").doesNotContain("MHcC");
  }
}
