package dev.flotilla.fleet;

import dev.flotilla.model.Artifact;
import dev.flotilla.model.ClaimToken;
import dev.flotilla.model.Device;
import dev.flotilla.model.Fleet;
import dev.flotilla.model.Operator;
import dev.flotilla.model.Policy;
import dev.flotilla.model.Rollout;
import dev.flotilla.model.Secret;
import dev.flotilla.model.Tenant;
import dev.flotilla.model.TrustRoot;

/** The kinds of resource a fleet repo holds, each with its schema, its model type and where it lives. */
public enum Kind {
  FLEET("Fleet", "fleet.yaml", Fleet.class, "fleet.yaml"),
  TRUST_ROOT("TrustRoot", "trust-root.yaml", TrustRoot.class, "trust/root.json"),
  TENANT("Tenant", "tenant.yaml", Tenant.class, "tenants/<tenant>/tenant.yaml"),
  DEVICE("Device", "device.yaml", Device.class, "tenants/<tenant>/devices/<name>.yaml"),
  POLICY("Policy", "policy.yaml", Policy.class, "tenants/<tenant>/policies/<name>.yaml"),
  ROLLOUT("Rollout", "rollout.yaml", Rollout.class, "tenants/<tenant>/rollouts/<name>.yaml"),
  CLAIM_TOKEN("ClaimToken", "claim-token.yaml", ClaimToken.class, "tenants/<tenant>/claim-tokens/<name>.yaml"),
  ARTIFACT("Artifact", "artifact.yaml", Artifact.class, "artifacts/<name>/<version>.yaml"),
  SECRET("Secret", "secret.yaml", Secret.class, "tenants/<tenant>/secrets/<name>.yaml"),
  OPERATOR("Operator", "operator.yaml", Operator.class, "operators/<name>.yaml");

  private final String displayName;
  private final String schemaFile;
  private final Class<?> type;
  private final String layout;

  Kind(String displayName, String schemaFile, Class<?> type, String layout) {
    this.displayName = displayName;
    this.schemaFile = schemaFile;
    this.type = type;
    this.layout = layout;
  }

  /** The name used in the {@code kind:} field, such as {@code ClaimToken}. */
  public String displayName() {
    return displayName;
  }

  /** The schema's file name under {@code schemas/}. */
  public String schemaFile() {
    return schemaFile;
  }

  public Class<?> type() {
    return type;
  }

  /** Where files of this kind live, as a pattern for messages. */
  public String layout() {
    return layout;
  }

  public boolean tenantScoped() {
    return layout.startsWith("tenants/");
  }

  public static Kind byDisplayName(String name) {
    for (var kind : values()) {
      if (kind.displayName.equals(name)) {
        return kind;
      }
    }
    return null;
  }
}
