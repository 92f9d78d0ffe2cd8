package dev.flotilla.validate;

import dev.flotilla.fleet.Document;
import dev.flotilla.schema.Problem;
import dev.flotilla.model.Device;
import dev.flotilla.model.Policy;
import dev.flotilla.model.Selector;
import dev.flotilla.model.SelectorOperator;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.render.PolicyMerger;
import dev.flotilla.render.PolicyMerger.Conflict;
import dev.flotilla.render.ResourceKey;
import dev.flotilla.render.Selectors;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;


/**
 * Checks what selectors pick: malformed requirements, selectors that pick nothing (a warning), and policies of
 * equal priority that disagree on a key of a device they both select (an error naming both places). Pure.
 */
final class SelectionChecks {
  private SelectionChecks() {}

  static void check(FleetIndex index, List<Problem> out) {
    var snapshot = index.snapshot();
    for (var policy : snapshot.policies()) {
      checkSelector(index, policy, policy.resource().getSpec().getSelector(), "policy", out);
    }
    for (var rollout : snapshot.rollouts()) {
      checkSelector(index, rollout, rollout.resource().getSpec().getSelector(), "rollout", out);
    }
    var byTenant = new LinkedHashMap<String, List<Document<Policy>>>();
    snapshot.policies().forEach(p -> byTenant.computeIfAbsent(p.resource().getMetadata().getTenant(),
        t -> new ArrayList<>()).add(p));
    byTenant.forEach((tenant, policies) -> checkConflicts(policies, index.devicesOf(tenant), out));
  }

  private static void checkSelector(FleetIndex index, Document<?> owner, Selector selector, String what,
      List<Problem> out) {
    var requirements = selector.getMatchExpressions();
    for (int i = 0; i < requirements.size(); i++) {
      var operator = requirements.get(i).getOperator();
      boolean needsValues = operator == SelectorOperator.IN || operator == SelectorOperator.NOT_IN;
      if (needsValues == requirements.get(i).getValues().isEmpty()) {
        Object[] field = {"spec", "selector", "matchExpressions", i};
        out.add(Problem.error(owner.path(), owner.locate(field), Where.field(field),
            "operator '" + operator.value() + "' " + (needsValues ? "needs values" : "takes no values"),
            needsValues ? "list the label values to match" : "remove values"));
      }
    }
    var tenant = owner.tenant();
    if (index.devicesOf(tenant).stream().noneMatch(d -> Selectors.matches(selector, d.resource()))) {
      out.add(Problem.warning(owner.path(), owner.locate("spec", "selector"), "spec.selector",
          "selector matches no device of tenant '" + tenant + "'",
          "the " + what + " has no effect until a device matches; check the labels and channels"));
    }
  }

  /**
   * Devices that the same set of policies select have the same conflicts, so each distinct set is merged once;
   * a conflict is reported once per pair of places, with how many devices it affects.
   */
  private static void checkConflicts(List<Document<Policy>> policies, List<Document<Device>> devices,
      List<Problem> out) {
    var contributions = policies.stream().map(PolicyMerger::contributions).toList();
    var devicesBySet = new LinkedHashMap<BitSet, List<String>>();
    for (var device : devices) {
      var selected = new BitSet(policies.size());
      for (int i = 0; i < policies.size(); i++) {
        if (Selectors.matches(policies.get(i).resource().getSpec().getSelector(), device.resource())) {
          selected.set(i);
        }
      }
      if (selected.cardinality() > 1) {
        devicesBySet.computeIfAbsent(selected, s -> new ArrayList<>()).add(device.resource().getMetadata().getName());
      }
    }
    var affected = new LinkedHashMap<String, List<String>>();
    var conflicts = new HashMap<String, Conflict>();
    devicesBySet.forEach((selected, names) -> {
      var chosen = selected.stream().mapToObj(contributions::get).toList();
      for (var conflict : PolicyMerger.merge(chosen, null).conflicts()) {
        var id = conflict.first().policy().path() + "|" + conflict.second().policy().path() + "|" + conflict.key();
        conflicts.putIfAbsent(id, conflict);
        affected.computeIfAbsent(id, k -> new ArrayList<>()).addAll(names);
      }
    });
    affected.forEach((id, names) -> out.add(describe(conflicts.get(id), names)));
  }

  private static Problem describe(Conflict conflict, List<String> devices) {
    var first = conflict.first();
    var second = conflict.second();
    var field = first.fieldPath().toArray();
    ResourceKey key = conflict.key();
    var difference = key.type() == ResourceKey.Type.SYSCTL
        ? " ('" + first.value() + "' vs '" + second.value() + "')" : "";
    var sample = devices.stream().sorted().limit(3).toList();
    return Problem.error(first.policy().path(), first.policy().locate(field), Where.field(field),
        "policies '" + name(first.policy()) + "' and '" + name(second.policy()) + "' (both priority "
            + first.priority() + ") set " + key + " differently" + difference + " on " + devices.size()
            + (devices.size() == 1 ? " device" : " devices") + ", such as " + String.join(", ", sample)
            + "; the other is at " + Where.of(second.policy(), second.fieldPath().toArray()),
        "give one policy a higher priority, or make the values agree").involving(second.policy().path());
  }

  private static String name(Document<Policy> policy) {
    return policy.resource().getMetadata().getName();
  }

}
