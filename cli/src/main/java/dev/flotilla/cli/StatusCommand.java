package dev.flotilla.cli;

import dev.flotilla.cli.fleet.FleetCheckout;
import dev.flotilla.cli.server.LiveStatus;
import dev.flotilla.cli.server.ServerOption;
import dev.flotilla.history.Presence;
import dev.flotilla.output.Output;
import dev.flotilla.output.OutputFormat;
import dev.flotilla.render.DeviceRenderer;
import dev.flotilla.rollout.RolloutState;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla status}: a fleet summary from the repo and its status branch alone: devices by tenant and state
 * (claimed, unclaimed, cordoned) and channel, the app versions devices are given (rollouts included), and every
 * rollout's phase and wave; with {@code --server}, the devices that reconciler sees failing or offline, each with its
 * first failing resource.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Summarise the fleet: devices by state and version, and active rollouts.")
final class StatusCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--repo", defaultValue = ".", paramLabel = "DIR", description = "The fleet repo checkout (default: here).")
  Path repo;

  @Mixin
  OutputFormat output;

  @Mixin
  ServerOption server;

  /**
   * What the command prints: counts by "tenant state channel" and by "artifact version", the rollouts, and with
   * {@code --server} the devices failing or offline (null without it).
   */
  record Summary(String head, int devices, int tenants, TreeMap<String, Integer> devicesBy,
      TreeMap<String, Integer> versions, List<RolloutLine> rollouts, List<Attention> attention) {}

  /** A device that needs a look: offline (no report for three poll intervals) or failing, with its first failure. */
  record Attention(String device, String tenant, boolean offline, Instant lastSeen, String failing) {}

  /** One rollout; {@code phase} null when no reconciler has started it. */
  record RolloutLine(String rollout, String artifact, String version, String phase, Integer wave, int waves,
      String waveName, Integer updated) {}

  @Override
  public Integer call() throws IOException {
    var format = output.format();
    try (var fleet = FleetCheckout.open(repo)) {
      var summary = summary(fleet, attention(fleet));
      Output.of(spec).value(format, summary, out -> text(out, summary));
      return Flotilla.OK;
    }
  }

  /** The claimed devices the reconciler at --server sees failing or offline; null without --server. */
  private List<Attention> attention(FleetCheckout fleet) throws IOException {
    var client = server.client();
    if (client == null) {
      return null;
    }
    var live = LiveStatus.fetch(client);
    var poll = Presence.pollInterval(fleet.index.snapshot().fleet().map(d -> d.resource()).orElse(null));
    var now = Instant.now();
    var result = new ArrayList<Attention>();
    for (var doc : fleet.index.snapshot().devices()) {
      var name = doc.resource().getMetadata().getName();
      var status = live.get(name);
      if (doc.resource().getSpec().getIdentity() == null || status == null || status.lastSeen() == null) {
        continue;
      }
      var offline = Presence.offline(status.lastSeen(), poll, now);
      if (offline || status.failing() != null) {
        result.add(new Attention(name, doc.resource().getMetadata().getTenant(), offline, status.lastSeen(),
            status.failing()));
      }
    }
    return result;
  }

  private static Summary summary(FleetCheckout fleet, List<Attention> attention) {
    var states = fleet.states();
    var renderer = new DeviceRenderer(fleet.index, RolloutState.versions(states.values()));
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
    var rollouts = new ArrayList<RolloutLine>();
    for (var doc : fleet.index.snapshot().rollouts()) {
      var r = doc.resource();
      var key = r.getMetadata().getTenant() + "/" + r.getMetadata().getName();
      var state = states.get(key);
      var artifact = r.getSpec().getArtifact();
      var started = state != null && state.version().equals(artifact.getVersion());
      rollouts.add(new RolloutLine(key, artifact.getName(), artifact.getVersion(),
          started ? state.phase().value() : null, started ? state.wave() + 1 : null, r.getSpec().getWaves().size(),
          started && state.currentWave() != null ? state.currentWave().name() : null,
          started ? state.updated().size() : null));
    }
    return new Summary(fleet.head.shortId(), fleet.index.snapshot().devices().size(), fleet.index.tenants().size(),
        byState, versions, rollouts, attention);
  }

  private static void text(PrintWriter out, Summary summary) {
    out.printf("fleet at %s: %d device(s), %d tenant(s)%n", summary.head(), summary.devices(), summary.tenants());
    out.println("devices (tenant, state, channel):");
    summary.devicesBy().forEach((k, n) -> out.printf("  %-40s %d%n", k, n));
    out.println("app versions given to devices:");
    summary.versions().forEach((k, n) -> out.printf("  %-40s %d%n", k, n));
    out.println("rollouts:");
    for (var r : summary.rollouts()) {
      out.printf("  %-40s %s %s  %s%n", r.rollout(), r.artifact(), r.version(), r.phase() == null ? "not started"
          : r.phase() + ", wave " + r.wave() + " of " + r.waves()
              + (r.waveName() == null ? "" : " '" + r.waveName() + "'") + ", " + r.updated() + " device(s) updated");
    }
    if (summary.attention() != null) {
      out.println(summary.attention().isEmpty() ? "devices failing or offline: none" : "devices failing or offline:");
      var now = Instant.now();
      for (var a : summary.attention()) {
        out.printf("  %-40s %s%n", a.tenant() + "/" + a.device(), (a.offline() ? "offline, last seen "
            + LiveStatus.ago(a.lastSeen(), now) : "online")
            + (a.failing() == null ? "" : "; failing " + a.failing()));
      }
    }
  }
}
