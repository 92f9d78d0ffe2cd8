package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.git.FleetRepo;
import dev.flotilla.git.Revision;
import dev.flotilla.output.Output;
import dev.flotilla.output.OutputFormat;
import dev.flotilla.output.Progress;
import dev.flotilla.preview.FleetPlan;
import dev.flotilla.preview.FleetRender;
import dev.flotilla.rollout.GitStatusBranch;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla plan --base REV --head REV}: renders the fleet at both revisions as the reconciler does (with the
 * rollout states of the checkout's status branch, when it has one) and prints what the agent will plan on each
 * device ({@link FleetPlan}), grouped by identical change, with the blast radius; {@code -o json|yaml} lists each
 * change as an object with its devices. On a terminal a progress line shows while the fleet renders. Exit 0 no
 * change, 3 changes, 1 when head is invalid.
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

  @Mixin
  OutputFormat output;

  @Option(names = "--at", paramLabel = "TIME", description = "Plan as if head reached the devices at TIME "
      + "(RFC 3339, such as 2026-11-24T01:00:00Z; default: now): disruptive changes outside a device's maintenance "
      + "windows show as held.")
  String at;

  @Override
  public Integer call() throws IOException {
    var format = output.format();
    var validator = new FleetValidator(Clock.systemUTC());
    FleetRender before;
    FleetRender after;
    String baseId;
    String headId;
    try (var git = FleetRepo.local(repo);
        var progress = Progress.onTerminal(spec.commandLine().getErr(), "flotilla: rendering " + base + " and "
            + head)) {
      var states = rolloutStates(git);
      var baseRev = git.resolve(base);
      var headRev = git.resolve(head);
      baseId = baseRev.shortId();
      headId = headRev.shortId();
      before = FleetRender.of(git.tree(baseRev.commit()), validator, states);
      after = FleetRender.of(git.tree(headRev.commit()), validator, states);
      if (!before.errors().isEmpty()) {
        // the reconciler refused base: devices are on the newest valid commit before it, so compare with that
        var refused = baseId;
        var errors = before.errors().size();
        var older = lastValidBefore(git, baseRev.commit(), validator, states);
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
      throw new UserException(Flotilla.FAILURE, "plan: " + e.getMessage());
    }
    var err = spec.commandLine().getErr();
    if (!after.errors().isEmpty()) {
      err.println("flotilla: plan: head " + headId + " is invalid; devices would keep their bundles:");
      after.errors().forEach(p -> err.println("  " + p));
      return Flotilla.FAILURE;
    }
    var plan = FleetPlan.of(before, after, instant());
    var shownBase = baseId;
    var shownHead = headId;
    Output.of(spec).value(format, PlanOutput.value(plan, shownBase, shownHead),
        out -> PlanOutput.text(out, plan, shownBase, shownHead));
    return plan.devices().isEmpty() ? Flotilla.OK : Flotilla.DIFFERENCES;
  }

  /** {@code --at}, or now. */
  private Instant instant() {
    if (at == null) {
      return Instant.now();
    }
    try {
      return OffsetDateTime.parse(at).toInstant();
    } catch (DateTimeParseException e) {
      throw new UserException(Flotilla.USAGE, "plan: read --at '" + at + "': not an RFC 3339 time; use "
          + "such as 2026-11-24T01:00:00Z");
    }
  }

  /** The rollout states of the checkout's status branch; none when it has no such branch. */
  private static Map<String, RolloutState> rolloutStates(FleetRepo git) throws IOException {
    try {
      return GitStatusBranch.readLocal(git.repository());
    } catch (IOException e) {
      throw new IOException("read branch '" + GitStatusBranch.BRANCH + "': " + e.getMessage() + "; fetch it with"
          + " 'git fetch origin " + GitStatusBranch.BRANCH + "'", e);
    }
  }

  /** How many commits before an invalid base {@code plan} looks through for a valid one. */
  static final int LOOK_BACK = 20;

  private record Rendered(Revision revision, FleetRender render) {}

  /** The newest commit within {@link #LOOK_BACK} first parents before {@code commit} that validates, or null. */
  private static Rendered lastValidBefore(FleetRepo git, String commit, FleetValidator validator,
      Map<String, RolloutState> states) throws IOException {
    for (int back = 1; back <= LOOK_BACK; back++) {
      Revision older;
      try {
        older = git.resolve(commit + "~" + back);
      } catch (IOException e) {
        return null; // the first commit was reached
      }
      var render = FleetRender.of(git.tree(older.commit()), validator, states);
      if (render.errors().isEmpty()) {
        return new Rendered(older, render);
      }
    }
    return null;
  }
}
