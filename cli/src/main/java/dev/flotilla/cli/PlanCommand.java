package dev.flotilla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flotilla.git.FleetRepo;
import dev.flotilla.git.Revision;
import dev.flotilla.render.FleetRender;
import dev.flotilla.render.StateDiff;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla plan --base REV --head REV}: renders the fleet at both revisions and prints what changes on each
 * device, grouped by identical change, with the blast radius. Exit 0 no change, 3 changes, 1 when head is invalid.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Show which devices a change to the fleet repo affects, and how. Exit 3 when anything changes.")
final class PlanCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--repo", defaultValue = ".", description = "The fleet repo (a Git checkout; default: here).")
  Path repo;

  @Option(names = "--base", defaultValue = "HEAD~1", description = "The revision before (default: ${DEFAULT-VALUE}).")
  String base;

  @Option(names = "--head", defaultValue = "HEAD", description = "The revision after (default: ${DEFAULT-VALUE}).")
  String head;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json.")
  String output;

  /** One device's changes. */
  record DeviceChange(String device, String tenant, List<String> changes) {}

  @Override
  public Integer call() throws IOException {
    if (!output.equals("text") && !output.equals("json")) {
      throw new Flotilla.UserException(Flotilla.USAGE, "plan: unknown output '" + output + "'; use text or json");
    }
    var validator = new FleetValidator(Clock.systemUTC());
    FleetRender before;
    FleetRender after;
    String baseId;
    String headId;
    try (var git = FleetRepo.local(repo)) {
      var baseRev = git.resolve(base);
      var headRev = git.resolve(head);
      baseId = baseRev.shortId();
      headId = headRev.shortId();
      before = FleetRender.of(git.tree(baseRev.commit()), validator);
      after = FleetRender.of(git.tree(headRev.commit()), validator);
      if (!before.errors().isEmpty()) {
        // the reconciler refused base: devices are on the newest valid commit before it, so compare with that
        var refused = baseId;
        var errors = before.errors().size();
        var older = lastValidBefore(git, baseRev.commit(), validator);
        var note = older == null
            ? "no valid commit in the " + LOOK_BACK + " before it, so every device is taken to have no bundle yet"
            : "comparing with " + older.revision().shortId() + ", the newest valid commit before it, which devices"
                + " are on";
        spec.commandLine().getErr().println("flotilla: plan: base " + refused + " is invalid (" + errors
            + " error(s); the reconciler refused it); " + note);
        before = older == null ? FleetRender.EMPTY : older.render();
        baseId = older == null ? refused : older.revision().shortId();
      }
    } catch (IOException e) {
      throw new Flotilla.UserException(Flotilla.FAILURE, "plan: " + e.getMessage());
    }
    var err = spec.commandLine().getErr();
    if (!after.errors().isEmpty()) {
      err.println("flotilla: plan: head " + headId + " is invalid; devices would keep their bundles:");
      after.errors().forEach(p -> err.println("  " + p));
      return Flotilla.FAILURE;
    }
    var changes = new ArrayList<DeviceChange>();
    for (var device : new TreeSet<>(union(before.devices().keySet(), after.devices().keySet()))) {
      var b = before.devices().get(device);
      var h = after.devices().get(device);
      var lines = StateDiff.diff(b == null ? null : b.payload(), h == null ? null : h.payload());
      if (b == null) {
        lines.addFirst("+ device (new bundle)");
      } else if (h == null) {
        lines = new ArrayList<>(List.of("- device (no bundle any more)"));
      }
      if (!lines.isEmpty()) {
        changes.add(new DeviceChange(device, (h != null ? h : b).tenant(), lines));
      }
    }
    var out = spec.commandLine().getOut();
    if (output.equals("json")) {
      var json = new LinkedHashMap<String, Object>();
      json.put("base", baseId);
      json.put("head", headId);
      json.put("devices", changes.size());
      json.put("tenants", changes.stream().map(DeviceChange::tenant).distinct().count());
      json.put("changes", changes);
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
    } else {
      printText(out, changes, baseId, headId, after.devices().size());
    }
    out.flush();
    return changes.isEmpty() ? Flotilla.OK : Flotilla.DIFFERENCES;
  }

  /** How many commits before an invalid base {@code plan} looks through for a valid one. */
  static final int LOOK_BACK = 20;

  private record Rendered(Revision revision, FleetRender render) {}

  /** The newest commit within {@link #LOOK_BACK} first parents before {@code commit} that validates, or null. */
  private static Rendered lastValidBefore(FleetRepo git, String commit, FleetValidator validator) throws IOException {
    for (int back = 1; back <= LOOK_BACK; back++) {
      Revision older;
      try {
        older = git.resolve(commit + "~" + back);
      } catch (IOException e) {
        return null; // the first commit was reached
      }
      var render = FleetRender.of(git.tree(older.commit()), validator);
      if (render.errors().isEmpty()) {
        return new Rendered(older, render);
      }
    }
    return null;
  }

  private static void printText(java.io.PrintWriter out, List<DeviceChange> changes, String base, String head,
      int total) {
    if (changes.isEmpty()) {
      out.println("no device changes between " + base + " and " + head);
      return;
    }
    // Devices with the same changes are listed together, so a policy change reads as one group.
    var groups = new TreeMap<String, List<DeviceChange>>();
    changes.forEach(c -> groups.computeIfAbsent(String.join("\n", c.changes()), k -> new ArrayList<>()).add(c));
    for (var group : groups.entrySet()) {
      var devices = group.getValue().stream().map(c -> c.tenant() + "/" + c.device()).toList();
      out.println(devices.size() + " device(s): " + String.join(", ", devices));
      group.getKey().lines().forEach(line -> out.println("  " + line));
    }
    var tenants = changes.stream().map(DeviceChange::tenant).distinct().count();
    out.printf("blast radius: %d of %d devices, %d tenant(s) (%s..%s)%n", changes.size(), total, tenants, base, head);
  }

  private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    var out = new TreeSet<>(a);
    out.addAll(b);
    return out;
  }
}
