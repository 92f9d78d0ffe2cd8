package dev.flotilla.cli;

import dev.flotilla.rollout.RolloutState;
import java.util.LinkedHashMap;
import picocli.CommandLine.Command;

/** {@code flotilla rollout abort NAME}. */
@Command(name = "abort", mixinStandardHelpOptions = true,
    description = "Stop a rollout for good; updated devices keep the version they run (see 'flotilla rollback').")
final class RolloutAbortCommand extends RolloutSteer {
  String verb() {
    return "aborted";
  }

  LinkedHashMap<String, Object> edits(RolloutState state) {
    var edits = new LinkedHashMap<String, Object>();
    edits.put("spec.aborted", true);
    return edits;
  }
}
