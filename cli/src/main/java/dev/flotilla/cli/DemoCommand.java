package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.console.ProblemFormat;
import dev.flotilla.cli.demo.LiveDemo;
import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.fleet.Document;
import dev.flotilla.model.Device;
import dev.flotilla.model.Policy;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.render.PolicyMerger;
import dev.flotilla.render.Selectors;
import dev.flotilla.validate.FleetValidator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla demo}: validates the example fleet and shows what it holds and what each device would get.
 * Read-only.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Show the example fleet, then run it live: a reconciler and agents converge, a commit rolls out, drift is corrected.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @ParentCommand
  Flotilla root;

  @Option(names = "--fleet", paramLabel = "DIR", description = "The fleet repo to show (default: the template).")
  Path fleet;

  @Option(names = "--agents", defaultValue = "3", description = "How many agents to run (1-8, default: ${DEFAULT-VALUE}).")
  int agents;

  @Option(names = "--summary-only", description = "Only validate and summarise the fleet; start nothing.")
  boolean summaryOnly;

  @Option(names = "--keep", description = "Keep the demo's temporary directory (repo, keys, sandboxes).")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    if (agents < 1 || agents > LiveDemo.DEVICES.size()) {
      throw new UserException(Flotilla.USAGE, "demo: --agents must be 1 to " + LiveDemo.DEVICES.size());
    }
    var directory = fleet != null ? fleet : root.settings().home().resolve("fleet-repo-template");
    if (!Files.isDirectory(directory)) {
      throw new UserException(Flotilla.FAILURE, "demo: no fleet at '" + directory
          + "'; run it from the Flotilla checkout or pass --fleet DIR");
    }
    var out = spec.commandLine().getOut();
    out.println("Flotilla demo: the example fleet in " + directory);
    out.println();
    var report = new FleetValidator(Clock.systemUTC()).validate(new DirectoryTree(directory));
    out.println("$ flotilla validate " + directory);
    ProblemFormat.TEXT.print(report, false, out);
    if (!report.valid(false)) {
      out.flush();
      return Flotilla.FAILURE;
    }
    var index = FleetIndex.of(report.snapshot());
    report.snapshot().tenants().forEach(tenant -> describeTenant(index, tenant.resource().getMetadata().getName(),
        tenant.resource().getSpec().getDisplayName(), out));
    out.println();
    out.println("Every device's state is the merge of the policies that select it, per key; the higher priority wins.");
    out.flush();
    if (summaryOnly) {
      return Flotilla.OK;
    }
    out.println();
    out.println("Live: a reconciler and " + agents + " agents on this machine, over TLS on loopback.");
    var work = Files.createTempDirectory("flotilla-demo-");
    try {
      var ok = new LiveDemo(out).run(directory, work, agents);
      out.println(ok ? "demo finished: every device converged, drift was corrected, nothing is left running"
          : "demo finished with problems; see above");
      out.flush();
      return ok ? Flotilla.OK : Flotilla.FAILURE;
    } finally {
      if (keep) {
        out.println("kept " + work);
      } else {
        delete(work);
      }
    }
  }

  private static void delete(Path dir) throws java.io.IOException {
    try (var walk = Files.walk(dir)) {
      for (var p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void describeTenant(FleetIndex index, String tenant, String displayName, PrintWriter out) {
    var devices = index.devicesOf(tenant);
    var channels = new TreeMap<String, Integer>();
    devices.forEach(d -> channels.merge(d.resource().getSpec().getChannel().value(), 1, Integer::sum));
    long cordoned = devices.stream().filter(d -> Boolean.TRUE.equals(d.resource().getSpec().getCordoned())).count();
    out.println();
    out.printf("tenant %s (%s): %d devices %s%s%n", tenant, displayName, devices.size(), channels,
        cordoned > 0 ? ", " + cordoned + " cordoned" : "");
    var policies = index.snapshot().policies().stream()
        .filter(p -> tenant.equals(p.resource().getMetadata().getTenant()))
        .sorted(Comparator.comparingLong((Document<Policy> p) -> priority(p)).reversed()).toList();
    for (var policy : policies) {
      long selected = devices.stream()
          .filter(d -> Selectors.matches(policy.resource().getSpec().getSelector(), d.resource())).count();
      var state = policy.resource().getSpec().getState();
      out.printf("  policy %-28s priority %4d  selects %3d devices  (%d files, %d units, %d sysctl, %d apps)%n",
          policy.resource().getMetadata().getName(), priority(policy), selected, state.getFiles().size(),
          state.getServices().size(), state.getSysctl() == null ? 0 : state.getSysctl().size(),
          state.getApps().size());
    }
    index.snapshot().rollouts().stream().filter(r -> tenant.equals(r.resource().getMetadata().getTenant()))
        .forEach(rollout -> {
          var spec = rollout.resource().getSpec();
          long selected = devices.stream().filter(d -> Selectors.matches(spec.getSelector(), d.resource())).count();
          var waves = String.join(", ", spec.getWaves().stream().map(w -> w.getName() + " ("
              + (w.getCount() != null ? w.getCount() : w.getPercent() != null ? w.getPercent() + "%" : "rest")
              + ")").toList());
          out.printf("  rollout %s: %s %s to %d devices in waves %s%n", rollout.resource().getMetadata().getName(),
              spec.getArtifact().getName(), spec.getArtifact().getVersion(), selected, waves);
        });
    devices.stream().findFirst().ifPresent(device -> describeDevice(index, tenant, device, out));
  }

  private static void describeDevice(FleetIndex index, String tenant, Document<Device> device, PrintWriter out) {
    var selecting = index.snapshot().policies().stream()
        .filter(p -> tenant.equals(p.resource().getMetadata().getTenant()))
        .filter(p -> Selectors.matches(p.resource().getSpec().getSelector(), device.resource()))
        .map(PolicyMerger::contributions).toList();
    var state = PolicyMerger.merge(selecting, device.resource().getSpec().getState()).state();
    out.printf("  device %s gets:%n", device.resource().getMetadata().getName());
    state.getFiles().forEach(f -> out.printf("    file   %s (mode %s)%n", f.getPath(),
        f.getMode() == null ? "0644" : f.getMode()));
    state.getServices().forEach(s -> out.printf("    unit   %s %s%n", s.getUnit(),
        s.getState() == null ? "running" : s.getState().value()));
    state.getSysctl().forEach((k, v) -> out.printf("    sysctl %s = %s%n", k, v));
    state.getApps().forEach(a -> out.printf("    app    %s %s%n", a.getName(), a.getVersion()));
  }

  private static long priority(Document<Policy> policy) {
    var priority = policy.resource().getSpec().getPriority();
    return priority == null ? 0 : priority;
  }
}
