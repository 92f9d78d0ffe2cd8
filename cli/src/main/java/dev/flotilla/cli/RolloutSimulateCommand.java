package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.fleet.FleetCheckout;
import dev.flotilla.rollout.RolloutPlan;
import dev.flotilla.rollout.RolloutRunner;
import dev.flotilla.rollout.RolloutSimulation;
import dev.flotilla.schema.Durations;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla rollout simulate NAME [--fail DEVICE,…]}: the waves and their devices from the repo alone, and
 * with {@code --fail} what those failures would make the engine decide. No side effects, no server.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Show a rollout's waves and devices; with --fail, what those devices failing would trigger.")
final class RolloutSimulateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--repo", defaultValue = ".", description = "The fleet repo checkout (default: here).")
  Path repo;

  @Option(names = "--fail", split = ",", paramLabel = "DEVICE", description = "Devices that fail their health check.")
  List<String> fail = List.of();

  @Parameters(paramLabel = "NAME", description = "The rollout, as NAME or TENANT/NAME.")
  String name;

  @Override
  public Integer call() {
    try (var fleet = FleetCheckout.open(repo)) {
      var rollout = fleet.rollout(name).resource();
      var plan = RolloutRunner.plan(fleet.index, rollout, null);
      var members = new HashSet<String>();
      plan.waves().forEach(w -> members.addAll(w.devices()));
      var unknown = fail.stream().filter(d -> !members.contains(d)).toList();
      if (!unknown.isEmpty()) {
        throw new UserException(Flotilla.USAGE, "simulate rollout " + plan.key() + ": " + unknown
            + " not in any wave; pick devices from the waves 'flotilla rollout simulate " + name + "' lists");
      }
      var out = spec.commandLine().getOut();
      printWaves(out, plan);
      if (!fail.isEmpty()) {
        var start = Instant.EPOCH;
        var end = RolloutSimulation.run(plan, new HashSet<>(fail), start);
        out.println("if " + String.join(", ", fail) + " fail (windows open, bake times elapsed, every other device"
            + " healthy):");
        for (var d : end.decisions()) {
          out.printf(Locale.ROOT, "  +%-8s %-11s %-10s %s: %s%n", RolloutSimulation.offset(start, d.at()),
              d.phase().value(), d.wave() == null ? "-" : d.wave(), d.reason(), d.message());
        }
        out.println("outcome: " + end.phase().value());
      }
      out.flush();
      return Flotilla.OK;
    }
  }

  static void printWaves(java.io.PrintWriter out, RolloutPlan plan) {
    int total = plan.waves().stream().mapToInt(w -> w.devices().size()).sum();
    out.printf(Locale.ROOT, "rollout %s: %s %s to %d device(s) in %d wave(s); max failure ratio %.2f, health timeout"
        + " %s, on breach %s%s%n", plan.key(), plan.artifact(), plan.version(), total, plan.waves().size(),
        plan.maxFailureRatio(), Durations.format(plan.healthTimeout()), plan.onBreach().value(),
        plan.paused() ? " (paused)" : plan.aborted() ? " (aborted)" : "");
    for (int i = 0; i < plan.waves().size(); i++) {
      var wave = plan.waves().get(i);
      out.printf("wave %d %s (%d device(s), bake %s): %s%n", i + 1, wave.name(), wave.devices().size(),
          Durations.format(wave.bakeTime()), wave.devices().isEmpty() ? "-" : String.join(", ", wave.devices()));
    }
  }
}
