package dev.flotilla.fleet;

/**
 * Where each kind lives in a fleet repo. Pure: classifies a path without reading it.
 *
 * @param kind the kind the path must hold
 * @param tenant the tenant folder, or null outside {@code tenants/}
 * @param name the name the path gives the resource (file stem, tenant folder or artifact folder)
 * @param version the artifact version the path gives, or null
 */
public record Layout(Kind kind, String tenant, String name, String version) {
  public static final String SUMMARY = "fleet.yaml, trust/root.json, tenants/<tenant>/tenant.yaml, "
      + "tenants/<tenant>/{devices,policies,rollouts,claim-tokens,secrets}/<name>.yaml, "
      + "artifacts/<name>/<version>.yaml, operators/<name>.yaml";

  /** The outcome of placing a path: a layout slot, a file to skip, or a misplaced file with the reason. */
  public sealed interface Placement permits Slot, Skip, Misplaced {}

  public record Slot(Layout layout) implements Placement {}

  public record Skip() implements Placement {}

  public record Misplaced(String message, String hint) implements Placement {}

  public static Placement place(String path) {
    boolean yaml = path.endsWith(".yaml");
    if (path.endsWith(".yml")) {
      return new Misplaced("fleet files use the '.yaml' extension", "rename it to '"
          + path.substring(0, path.length() - 4) + ".yaml'");
    }
    if (path.equals("trust/root.json")) {
      return new Slot(new Layout(Kind.TRUST_ROOT, null, "root", null));
    }
    if (!yaml) {
      return path.endsWith(".json") ? misplaced() : new Skip();
    }
    var parts = path.substring(0, path.length() - ".yaml".length()).split("/");
    if (parts.length == 1 && parts[0].equals("fleet")) {
      return new Slot(new Layout(Kind.FLEET, null, null, null));
    }
    if (parts.length == 3 && parts[0].equals("tenants") && parts[2].equals("tenant")) {
      return new Slot(new Layout(Kind.TENANT, parts[1], parts[1], null));
    }
    if (parts.length == 4 && parts[0].equals("tenants")) {
      var kind = switch (parts[2]) {
        case "devices" -> Kind.DEVICE;
        case "policies" -> Kind.POLICY;
        case "rollouts" -> Kind.ROLLOUT;
        case "claim-tokens" -> Kind.CLAIM_TOKEN;
        case "secrets" -> Kind.SECRET;
        default -> null;
      };
      if (kind != null) {
        return new Slot(new Layout(kind, parts[1], parts[3], null));
      }
    }
    if (parts.length == 2 && parts[0].equals("operators")) {
      return new Slot(new Layout(Kind.OPERATOR, null, parts[1], null));
    }
    if (parts.length == 3 && parts[0].equals("artifacts")) {
      return new Slot(new Layout(Kind.ARTIFACT, null, parts[1], parts[2]));
    }
    return misplaced();
  }

  private static Misplaced misplaced() {
    return new Misplaced("file is not part of the fleet layout", "fleet files live at " + SUMMARY);
  }
}
