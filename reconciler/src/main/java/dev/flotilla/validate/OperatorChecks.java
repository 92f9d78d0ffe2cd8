package dev.flotilla.validate;

import dev.flotilla.render.FleetIndex;
import dev.flotilla.schema.Problem;
import java.util.List;

/**
 * Checks that each operator token names tenants that exist and that no two operators share a token hash (one
 * token would then carry two scopes). Pure.
 */
final class OperatorChecks {
  private OperatorChecks() {}

  static void check(FleetIndex index, List<Problem> out) {
    var snapshot = index.snapshot();
    for (var operator : snapshot.operators()) {
      var tenants = List.copyOf(operator.resource().getSpec().getTenants());
      for (int i = 0; i < tenants.size(); i++) {
        var tenant = tenants.get(i);
        if (!index.tenants().containsKey(tenant) && !snapshot.rejected("tenants/" + tenant + "/tenant.yaml")) {
          out.add(Problem.error(operator.path(), operator.locate("spec", "tenants", i), "spec.tenants[" + i + "]",
              "tenant '" + tenant + "' does not exist", "create tenants/" + tenant + "/tenant.yaml or remove it"));
        }
      }
    }
    ReferenceChecks.unique(snapshot.operators(), o -> o.resource().getSpec().getTokenHash(),
        new Object[] {"spec", "tokenHash"}, "token hash '%s' is also used by %s",
        "give each operator a token of its own", out);
  }
}
