package dev.flotilla.cli;

import dev.flotilla.cli.fleet.FleetCheckout;
import dev.flotilla.render.DeviceRenderer;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.rollout.RolloutVersions;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla status}: a fleet summary from the repo and its status branch alone: devices by tenant and state
 * (claimed, unclaimed, cordoned) and channel, the app versions devices are given (rollouts included), and every
 * rollout's phase and wave. Live health per device is in the reconciler's metrics.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Summarise the fleet: devices by state and version, and active rollouts.")
final class StatusCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--repo", defaultValue = ".", description = "The fleet repo checkout (default: here).")
  Path repo;

  @Override
  public Integer call() {
    try (var fleet = FleetCheckout.open(repo)) {
      var states = fleet.states();
      var renderer = new DeviceRenderer(fleet.index, RolloutVersions.of(states.values()));
      var byState = new TreeMap<String, Integer>();
      var versions = new TreeMap<String, Integer>();
      for (var doc : fleet.index.snapshot().devices()) {
        var spec = doc.resource().getSpec();
        var state = spec.getIdentity() == null ? "unclaimed"
            : Boolean.TRUE.equals(spec.getCordoned()) ? "cordoned" : "claimed";
        byState.merge(doc.resource().getMetadata().getTenant() + " " + state + " " + spec.getChannel().value(), 1,
            Integer::sum);
        if (spec.getIdentity() != null) {
          renderer.render(doc).payload().getState().getApps()
              .forEach(a -> versions.merge(a.getArtifact() + " " + a.getVersion(), 1, Integer::sum));
        }
      }
      var out = spec.commandLine().getOut();
      out.printf("fleet at %s: %d device(s), %d tenant(s)%n", fleet.head.shortId(),
          fleet.index.snapshot().devices().size(), fleet.index.tenants().size());
      out.println("devices (tenant, state, channel):");
      byState.forEach((k, n) -> out.printf("  %-40s %d%n", k, n));
      out.println("app versions given to devices:");
      versions.forEach((k, n) -> out.printf("  %-40s %d%n", k, n));
      out.println("rollouts:");
      for (var doc : fleet.index.snapshot().rollouts()) {
        var r = doc.resource();
        var key = r.getMetadata().getTenant() + "/" + r.getMetadata().getName();
        RolloutState state = states.get(key);
        var started = state != null && state.version().equals(r.getSpec().getArtifact().getVersion());
        out.printf("  %-40s %s %s  %s%n", key, r.getSpec().getArtifact().getName(), r.getSpec().getArtifact().getVersion(),
            started ? state.phase().value() + ", wave " + (state.wave() + 1) + " of " + r.getSpec().getWaves().size()
                + (state.currentWave() == null ? "" : " '" + state.currentWave().name() + "'")
                + ", " + state.updated().size() + " device(s) updated" : "not started");
      }
      out.flush();
      return Flotilla.OK;
    }
  }
}
