package dev.flotilla.build;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and commit this build was made from, as Maven stamped them into {@code build.properties} (the commit
 * comes from {@code -Dflotilla.commit}, which the launcher sets with {@code git rev-parse}; "unknown" without it).
 * The same string is printed by {@code --version}, sent in the agent's status reports and exported as
 * {@code flotilla_build_info}.
 */
public record BuildInfo(String version, String commit) {
  private static final BuildInfo CURRENT = read();

  /** This build's. */
  public static BuildInfo current() {
    return CURRENT;
  }

  /** Such as {@code 0.1.0-SNAPSHOT (commit 3f8495b2c1aa)}. */
  public String describe() {
    return version + " (commit " + commit + ")";
  }

  private static BuildInfo read() {
    var properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // a jar that cannot be read is reported by everything else; the version is then unknown
    }
    return new BuildInfo(stamped(properties, "version"), stamped(properties, "commit"));
  }

  /** The value, or "unknown" when missing or left unfiltered (a build from an IDE that skips resource filtering). */
  private static String stamped(Properties properties, String key) {
    var value = properties.getProperty(key, "").strip();
    return value.isEmpty() || value.startsWith("${") ? "unknown" : value;
  }
}
