package dev.flotilla.cli;

import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.cli.fleet.FleetCheckout;
import dev.flotilla.model.RolloutPhase;
import dev.flotilla.rollout.RolloutState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla rollout create|simulate|status|pause|resume|abort}. Pause, resume and abort edit the Rollout
 * file (comments and formatting kept) and commit it; the reconciler acts on the commit. Status reads the status
 * branch the reconciler writes.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true, description = "Create, simulate, watch and steer rollouts.",
    subcommands = {RolloutCreateCommand.class, RolloutSimulateCommand.class, RolloutCommand.Status.class,
        RolloutCommand.Pause.class, RolloutCommand.Resume.class, RolloutCommand.Abort.class})
final class RolloutCommand {

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show a rollout's phase, waves, counts, failure ratio and decisions, from the status branch.")
  static final class Status implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--repo", defaultValue = ".", description = "The fleet repo checkout (default: here).")
    Path repo;

    @Parameters(paramLabel = "NAME", description = "The rollout, as NAME or TENANT/NAME.")
    String name;

    @Override
    public Integer call() {
      try (var fleet = FleetCheckout.open(repo)) {
        var rollout = fleet.rollout(name).resource();
        var key = rollout.getMetadata().getTenant() + "/" + rollout.getMetadata().getName();
        var state = fleet.states().get(key);
        var out = spec.commandLine().getOut();
        if (state == null || !state.version().equals(rollout.getSpec().getArtifact().getVersion())) {
          out.println("rollout " + key + ": not started; no reconciler has recorded it on the status branch yet");
          return Flotilla.OK;
        }
        print(out, key, state);
        out.flush();
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

  /** Sets fields of a rollout's spec and commits. */
  abstract static class Steer implements Callable<Integer> {
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
        var where = checkout.commit(java.util.Map.of(doc.path(), edit.text()),
            verb.substring(0, 1).toUpperCase(Locale.ROOT) + verb.substring(1) + " rollout " + key);
        spec.commandLine().getOut().println(verb + " rollout " + key + "; " + where);
        return Flotilla.OK;
      }
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Pause a rollout: no more devices get the new version until it is resumed.")
  static final class Pause extends Steer {
    String verb() {
      return "paused";
    }

    LinkedHashMap<String, Object> edits(RolloutState state) {
      var edits = new LinkedHashMap<String, Object>();
      edits.put("spec.paused", true);
      return edits;
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Resume a paused rollout; one paused by a failed wave goes on past that wave's failures.")
  static final class Resume extends Steer {
    String verb() {
      return "resumed";
    }

    LinkedHashMap<String, Object> edits(RolloutState state) {
      var edits = new LinkedHashMap<String, Object>();
      edits.put("spec.paused", null);
      if (state != null && state.phase() == RolloutPhase.PAUSED && state.breach() && state.currentWave() != null) {
        edits.put("spec.continueAfterBreach", state.currentWave().name());
      }
      return edits;
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true,
      description = "Stop a rollout for good; updated devices keep the version they run (see 'flotilla rollback').")
  static final class Abort extends Steer {
    String verb() {
      return "aborted";
    }

    LinkedHashMap<String, Object> edits(RolloutState state) {
      var edits = new LinkedHashMap<String, Object>();
      edits.put("spec.aborted", true);
      return edits;
    }
  }
}
