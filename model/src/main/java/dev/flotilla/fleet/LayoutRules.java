package dev.flotilla.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.schema.Nodes;
import dev.flotilla.schema.Problem;
import java.util.List;

/** Checks that a bound resource agrees with its path: name, tenant and version. Pure. */
final class LayoutRules {
  private LayoutRules() {}

  static void check(String path, Kind kind, JsonNode tree, Layout layout, List<Problem> problems) {
    if (kind == Kind.TRUST_ROOT) {
      return;
    }
    var metadata = tree.path("metadata");
    var name = metadata.path("name").asText();
    var tenant = metadata.path("tenant");
    if (layout.name() != null && !layout.name().equals(name)) {
      var what = switch (kind) {
        case TENANT -> "the tenant folder";
        case ARTIFACT -> "the artifact folder";
        default -> "the file name";
      };
      problems.add(Problem.error(path, Nodes.location(metadata.path("name")), "metadata.name",
          "name '" + name + "' does not match " + what + " '" + layout.name() + "'",
          "rename the file or set metadata.name to '" + layout.name() + "'"));
    }
    if (kind == Kind.TENANT) {
      if (!tenant.isMissingNode() && !tenant.asText().equals(layout.tenant())) {
        checkTenant(path, metadata, layout, tenant, problems);
      }
    } else if (kind.tenantScoped()) {
      checkTenant(path, metadata, layout, tenant, problems);
    } else if ((kind == Kind.FLEET || kind == Kind.OPERATOR) && !tenant.isMissingNode()) {
      problems.add(Problem.error(path, Nodes.location(tenant), "metadata.tenant", kind == Kind.FLEET
          ? "the fleet belongs to no tenant" : "an operator belongs to no tenant; 'spec.tenants' scopes it",
          "remove metadata.tenant"));
    }
    if (kind == Kind.ARTIFACT) {
      var version = tree.path("spec").path("version").asText();
      if (!version.equals(layout.version())) {
        problems.add(Problem.error(path, Nodes.location(tree.path("spec").path("version")), "spec.version",
            "version '" + version + "' does not match the file name '" + layout.version() + ".yaml'",
            "rename the file or set spec.version to '" + layout.version() + "'"));
      }
    }
  }

  private static void checkTenant(String path, JsonNode metadata, Layout layout, JsonNode tenant,
      List<Problem> problems) {
    if (tenant.isMissingNode()) {
      problems.add(Problem.error(path, Nodes.location(metadata), "metadata.tenant",
          "missing required field 'tenant'", "set it to '" + layout.tenant() + "', the tenant folder"));
    } else if (!tenant.asText().equals(layout.tenant())) {
      problems.add(Problem.error(path, Nodes.location(tenant), "metadata.tenant",
          "tenant '" + tenant.asText() + "' does not match the tenant folder '" + layout.tenant() + "'",
          "move the file to tenants/" + tenant.asText() + "/ or set metadata.tenant to '" + layout.tenant() + "'"));
    }
  }
}
