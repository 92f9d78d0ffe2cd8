package dev.flotilla.cli;

import dev.flotilla.cli.fleet.FleetCheckout;
import dev.flotilla.output.Output;
import dev.flotilla.output.OutputFormat;
import dev.flotilla.rollout.RolloutState;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla rollout status NAME}: a rollout's phase, waves and decisions, from the status branch. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a rollout's phase, waves, counts, failure ratio and decisions, from the status branch.")
final class RolloutStatusCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--repo", defaultValue = ".", paramLabel = "DIR",
      description = "The fleet repo checkout (default: here).")
  Path repo;

  @Parameters(paramLabel = "NAME", description = "The rollout, as NAME or TENANT/NAME.")
  String name;

  @Mixin
  OutputFormat output;

  /** What -o json|yaml prints: {@code state} is null until a reconciler has started the rollout. */
  record Shown(String rollout, boolean started, RolloutState state) {}

  @Override
  public Integer call() {
    var format = output.format();
    try (var fleet = FleetCheckout.open(repo)) {
      var rollout = fleet.rollout(name).resource();
      var key = rollout.getMetadata().getTenant() + "/" + rollout.getMetadata().getName();
      var state = fleet.states().get(key);
      var started = state != null && state.version().equals(rollout.getSpec().getArtifact().getVersion());
      Output.of(spec).value(format, new Shown(key, started, started ? state : null), out -> {
        if (started) {
          print(out, key, state);
        } else {
          out.println("rollout " + key + ": not started; no reconciler has recorded it on the status branch yet");
        }
      });
      return Flotilla.OK;
    }
  }

  static void print(java.io.PrintWriter out, String key, RolloutState state) {
    var wave = state.currentWave();
    out.printf("rollout %s: %s, %s %s, wave %d of %d%s, updated %s%n", key, state.phase().value(),
        state.artifact(), state.version(), state.wave() + 1, Math.max(state.waves().size(), state.wave() + 1),
        wave == null ? "" : " '" + wave.name() + "'", state.updatedAt());
    out.println("waves:");
    for (var w : state.waves()) {
      long updated = w.devices().stream().filter(RolloutState.Member::updated).count();
      out.printf("  %-12s %d device(s), %d updated, started %s%s%n", w.name(), w.devices().size(), updated,
          w.startedAt(), w.bakeStartedAt() == null ? "" : ", baking since " + w.bakeStartedAt());
    }
    out.println("decisions:");
    for (var d : state.decisions()) {
      out.printf(Locale.ROOT, "  %s  %-11s %-10s %d ok, %d failed, %d pending, ratio %.2f  %s: %s%n", d.at(),
          d.phase().value(), d.wave() == null ? "-" : d.wave(), d.counts().succeeded(), d.counts().failed(),
          d.counts().pending(), d.counts().failureRatio(), d.reason(), d.message());
    }
  }
}
