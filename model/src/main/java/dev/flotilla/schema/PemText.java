package dev.flotilla.schema;

/**
 * Says in a few words why a text is not the SPKI PEM block the {@code publicKeyPem} schema type wants. Never repeats
 * the text: it may be a private key pasted by mistake, and messages end up in CI logs. Pure.
 */
final class PemText {
  static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
  static final String END = "-----END PUBLIC KEY-----";

  private PemText() {}

  /** Why {@code text} is no public key PEM block, such as {@code no '-----END PUBLIC KEY-----' line}. */
  static String whyNot(String text) {
    var pem = text.strip();
    if (pem.isEmpty()) {
      return "it is empty";
    }
    if (pem.startsWith("ssh-") || pem.startsWith("ecdsa-sha2-")) {
      return "an OpenSSH key; convert it with 'ssh-keygen -e -m PKCS8 -f KEY.pub'";
    }
    int begin = pem.indexOf(BEGIN);
    if (begin < 0) {
      return otherBlock(pem);
    }
    if (begin > 0) {
      return "text before the '" + BEGIN + "' line";
    }
    int end = pem.indexOf(END);
    if (end < 0) {
      return "no '" + END + "' line";
    }
    if (end + END.length() < pem.length()) {
      return "text after the '" + END + "' line";
    }
    var body = pem.substring(BEGIN.length(), end);
    if (!body.startsWith("\n") || !body.endsWith("\n")) {
      return "the BEGIN and END markers are not lines of their own; write the key as 'publicKey: |'";
    }
    if (body.isBlank()) {
      return "no base64 between the BEGIN and END lines";
    }
    for (char c : body.toCharArray()) {
      if (c != '\n' && !base64(c)) {
        return name(c) + " in the base64";
      }
    }
    return "it does not have the PEM layout";
  }

  private static String otherBlock(String pem) {
    int at = pem.indexOf("-----BEGIN ");
    if (at < 0) {
      return "no '" + BEGIN + "' line";
    }
    int close = pem.indexOf("-----", at + "-----BEGIN ".length());
    var type = close < 0 ? "" : pem.substring(at + "-----BEGIN ".length(), close);
    if (type.contains("PRIVATE")) {
      return "a private key, not the public key; make a new pair, this one is no longer secret";
    }
    return close < 0 ? "no '" + BEGIN + "' line" : "a '-----BEGIN " + type + "-----' block, not '" + BEGIN + "'";
  }

  private static boolean base64(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=';
  }

  private static String name(char c) {
    return switch (c) {
      case ' ' -> "a space";
      case '\t' -> "a tab";
      case '\r' -> "a carriage return";
      default -> Character.isISOControl(c) ? String.format("character U+%04X", (int) c) : "'" + c + "'";
    };
  }
}
