package dev.flotilla.claim;

import dev.flotilla.fleet.edit.YamlEdit;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The Device file a claim becomes, {@code tenants/<tenant>/devices/<name>.yaml}. Pure. */
public final class DeviceFile {
  private DeviceFile() {}

  public static String path(PendingClaim claim) {
    return "tenants/" + claim.tenant() + "/devices/" + claim.device() + ".yaml";
  }

  public static String text(PendingClaim claim, Instant claimedAt) {
    var facts = String.join(", ", java.util.stream.Stream.of(claim.hostname(), claim.os(), claim.architecture())
        .filter(java.util.Objects::nonNull).toList());
    var edit = YamlEdit.of("# yaml-language-server: $schema=../../../.flotilla/schemas/device.yaml\n"
            + "# Enrolled by claim " + claim.id() + " with token '" + claim.token() + "'"
            + (facts.isEmpty() ? "" : " (" + facts + ")") + ".\n"
            + "apiVersion: flotilla.dev/v1\nkind: Device\n")
        .set("metadata.name", claim.device()).set("metadata.tenant", claim.tenant());
    if (!claim.labels().isEmpty()) {
      edit = edit.set("metadata.labels", new java.util.TreeMap<>(claim.labels()));
    }
    return edit.set("spec.channel", claim.channel()).set("spec.identity.hash", claim.identityHash())
        .set("spec.identity.claimedAt", claimedAt.truncatedTo(ChronoUnit.SECONDS).toString())
        .set("spec.identity.claimToken", claim.token()).set("spec.publicKey", claim.publicKey()).text();
  }
}
