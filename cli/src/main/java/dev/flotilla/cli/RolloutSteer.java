package dev.flotilla.cli;

import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.cli.fleet.FleetCheckout;
import dev.flotilla.output.Output;
import dev.flotilla.rollout.RolloutState;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Sets fields of a rollout's spec and commits. */
abstract class RolloutSteer implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CheckoutOptions checkout;

  @Parameters(paramLabel = "NAME", description = "The rollout, as NAME or TENANT/NAME.")
  String name;

  abstract String verb();

  abstract LinkedHashMap<String, Object> edits(RolloutState state);

  @Override
  public Integer call() throws IOException {
    try (var fleet = FleetCheckout.open(checkout.repo)) {
      var doc = fleet.rollout(name);
      var key = doc.resource().getMetadata().getTenant() + "/" + doc.resource().getMetadata().getName();
      var state = fleet.states().get(key);
      var edit = dev.flotilla.fleet.edit.YamlEdit.of(fleet.read(doc.path()));
      for (var e : edits(state).entrySet()) {
        edit = e.getValue() == null ? edit.remove(e.getKey()) : edit.set(e.getKey(), e.getValue());
      }
      var verb = verb();
      var where = checkout.commit(new FleetEdit("change rollout '" + key + "'", java.util.Map.of(doc.path(),
              edit.text())),
          verb.substring(0, 1).toUpperCase(Locale.ROOT) + verb.substring(1) + " rollout " + key);
      Output.of(spec).line(verb + " rollout " + key + "; " + where);
      return Flotilla.OK;
    }
  }
}
