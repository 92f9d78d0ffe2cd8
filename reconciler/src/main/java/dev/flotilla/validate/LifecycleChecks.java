package dev.flotilla.validate;

import dev.flotilla.schema.Problem;
import dev.flotilla.render.FleetIndex;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;

/** Checks what depends on time and counts: expired claim tokens and trust roots, used-up tokens, quotas. Pure. */
final class LifecycleChecks {
  private LifecycleChecks() {}

  static void check(FleetIndex index, Instant now, List<Problem> out) {
    var snapshot = index.snapshot();
    var uses = new HashMap<String, Integer>();
    snapshot.devices().forEach(d -> {
      var identity = d.resource().getSpec().getIdentity();
      if (identity != null && identity.getClaimToken() != null) {
        uses.merge(d.resource().getMetadata().getTenant() + "/" + identity.getClaimToken(), 1, Integer::sum);
      }
    });
    for (var token : snapshot.claimTokens()) {
      var spec = token.resource().getSpec();
      if (spec.getExpiresAt().toInstant().isBefore(now)) {
        out.add(Problem.warning(token.path(), token.locate("spec", "expiresAt"), "spec.expiresAt",
            "claim token expired at " + spec.getExpiresAt().toInstant(), "delete it, or create a new one with 'flotilla token create'"));
      }
      var name = token.resource().getMetadata().getTenant() + "/" + token.resource().getMetadata().getName();
      int used = uses.getOrDefault(name, 0);
      if (used > spec.getMaxUses()) {
        out.add(Problem.error(token.path(), token.locate("spec", "maxUses"), "spec.maxUses",
            used + " devices name this token, more than its " + spec.getMaxUses() + " uses",
            "raise maxUses, or remove the devices that should not have enrolled"));
      }
    }
    snapshot.trustRoot().ifPresent(root -> {
      if (root.resource().getSigned().getExpires().toInstant().isBefore(now)) {
        out.add(Problem.error(root.path(), root.locate("signed", "expires"), "signed.expires",
            "trust root expired at " + root.resource().getSigned().getExpires().toInstant(),
            "agents refuse everything it signs; rotate it with 'flotilla keys rotate'"));
      }
    });
    for (var tenant : snapshot.tenants()) {
      var quotas = tenant.resource().getSpec().getQuotas();
      var name = tenant.resource().getMetadata().getName();
      if (quotas == null) {
        continue;
      }
      quota(tenant.path(), tenant.locate("spec", "quotas", "maxDevices"), "maxDevices", quotas.getMaxDevices(),
          index.devicesOf(name).size(), "devices", out);
      quota(tenant.path(), tenant.locate("spec", "quotas", "maxPolicies"), "maxPolicies", quotas.getMaxPolicies(),
          snapshot.policies().stream().filter(p -> name.equals(p.resource().getMetadata().getTenant())).count(),
          "policies", out);
      quota(tenant.path(), tenant.locate("spec", "quotas", "maxRollouts"), "maxRollouts", quotas.getMaxRollouts(),
          snapshot.rollouts().stream().filter(r -> name.equals(r.resource().getMetadata().getTenant())).count(),
          "rollouts", out);
    }
  }

  private static void quota(String file, dev.flotilla.schema.Location at, String field, Long limit, long actual,
      String what, List<Problem> out) {
    if (limit != null && actual > limit) {
      out.add(Problem.error(file, at, "spec.quotas." + field, "tenant has " + actual + " " + what
          + ", more than its quota of " + limit, "raise the quota or remove " + what));
    }
  }
}
