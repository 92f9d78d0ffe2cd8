package dev.flotilla.validate;

import dev.flotilla.fleet.Document;
import dev.flotilla.schema.Problem;
import dev.flotilla.model.Rollout;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.render.Selectors;
import java.util.HashSet;
import java.util.List;

/**
 * Checks that a rollout's waves are well formed: unique names; a count or a percent on each wave but the last,
 * never both; percents adding up to at most 100; and, as a warning, waves that leave selected devices out. Pure.
 */
final class RolloutChecks {
  private RolloutChecks() {}

  static void check(FleetIndex index, List<Problem> out) {
    for (var rollout : index.snapshot().rollouts()) {
      checkWaves(index, rollout, out);
    }
  }

  private static void checkWaves(FleetIndex index, Document<Rollout> rollout, List<Problem> out) {
    var waves = rollout.resource().getSpec().getWaves();
    var names = new HashSet<String>();
    long percent = 0;
    long count = 0;
    boolean takesRest = false;
    for (int i = 0; i < waves.size(); i++) {
      var wave = waves.get(i);
      Object[] field = {"spec", "waves", i};
      boolean last = i == waves.size() - 1;
      if (!names.add(wave.getName())) {
        out.add(error(rollout, field, "name", "wave name '" + wave.getName() + "' is used twice", "rename one"));
      }
      if (wave.getCount() != null && wave.getPercent() != null) {
        out.add(error(rollout, field, "count", "wave '" + wave.getName() + "' sets both count and percent",
            "keep one"));
      } else if (wave.getCount() == null && wave.getPercent() == null) {
        if (last) {
          takesRest = true;
        } else {
          out.add(error(rollout, field, "name", "wave '" + wave.getName() + "' sets neither count nor percent",
              "only the last wave may leave both out, to take the remaining devices"));
        }
      }
      count += wave.getCount() == null ? 0 : wave.getCount();
      percent += wave.getPercent() == null ? 0 : wave.getPercent();
    }
    if (percent > 100) {
      out.add(error(rollout, new Object[] {"spec", "waves"}, null, "wave percents add up to " + percent
          + "%, more than 100%", "each percent is the share of the selected devices that wave updates"));
    }
    var tenant = rollout.resource().getMetadata().getTenant();
    var selector = rollout.resource().getSpec().getSelector();
    long selected = index.devicesOf(tenant).stream().filter(d -> Selectors.matches(selector, d.resource())).count();
    long reached = count + (selected * percent + 99) / 100;
    if (!takesRest && selected > 0 && reached < selected) {
      out.add(Problem.warning(rollout.path(), rollout.locate("spec", "waves"), "spec.waves",
          "the waves reach about " + reached + " of the " + selected + " selected devices",
          "add a last wave with neither count nor percent to take the rest"));
    }
  }

  private static Problem error(Document<Rollout> rollout, Object[] field, String child, String message,
      String hint) {
    Object[] at = child == null ? field : append(field, child);
    return Problem.error(rollout.path(), rollout.locate(at), Where.field(field), message, hint);
  }

  private static Object[] append(Object[] field, Object child) {
    var out = java.util.Arrays.copyOf(field, field.length + 1);
    out[field.length] = child;
    return out;
  }
}
