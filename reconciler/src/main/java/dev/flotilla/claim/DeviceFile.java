package dev.flotilla.claim;

import dev.flotilla.fleet.edit.YamlEdit;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Device file a claim becomes, {@code tenants/<tenant>/devices/<name>.yaml}. Pure. Every value goes in through
 * {@link YamlEdit} as a quoted scalar where it needs quoting, never as text: what the device said about itself
 * (host name, OS, architecture) lands in {@code metadata.annotations} as data, and the fixed header comment holds no
 * value at all.
 */
public final class DeviceFile {
  /** The annotations that keep the facts a device sent with its claim, for operators; never used for selection. */
  public static final String HOSTNAME = "flotilla.dev/hostname";
  public static final String OS = "flotilla.dev/os";
  public static final String ARCHITECTURE = "flotilla.dev/architecture";
  private static final String HEADER = """
      # yaml-language-server: $schema=../../../.flotilla/schemas/device.yaml
      # Enrolled by a claim: its token is spec.identity.claimToken; what the device said of itself is in annotations.
      apiVersion: flotilla.dev/v1
      kind: Device
      """;

  private DeviceFile() {}

  public static String path(PendingClaim claim) {
    return "tenants/" + claim.tenant() + "/devices/" + claim.device() + ".yaml";
  }

  public static String text(PendingClaim claim, Instant claimedAt) {
    var edit = YamlEdit.of(HEADER).set("metadata.name", claim.device()).set("metadata.tenant", claim.tenant());
    if (!claim.labels().isEmpty()) {
      edit = edit.set("metadata.labels", new TreeMap<>(claim.labels()));
    }
    var facts = facts(claim);
    if (!facts.isEmpty()) {
      edit = edit.set("metadata.annotations", facts);
    }
    return edit.set("spec.channel", claim.channel()).set("spec.identity.hash", claim.identityHash())
        .set("spec.identity.claimedAt", claimedAt.truncatedTo(ChronoUnit.SECONDS).toString())
        .set("spec.identity.claimToken", claim.token()).set("spec.publicKey", claim.publicKey()).text();
  }

  private static Map<String, String> facts(PendingClaim claim) {
    var facts = new LinkedHashMap<String, String>();
    put(facts, HOSTNAME, claim.hostname());
    put(facts, OS, claim.os());
    put(facts, ARCHITECTURE, claim.architecture());
    return facts;
  }

  private static void put(Map<String, String> facts, String key, String value) {
    if (value != null) {
      facts.put(key, value);
    }
  }
}
