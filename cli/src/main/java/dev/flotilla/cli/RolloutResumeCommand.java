package dev.flotilla.cli;

import dev.flotilla.model.RolloutPhase;
import dev.flotilla.rollout.RolloutState;
import java.util.LinkedHashMap;
import picocli.CommandLine.Command;

/** {@code flotilla rollout resume NAME}. */
@Command(name = "resume", mixinStandardHelpOptions = true,
    description = "Resume a paused rollout; one paused by a failed wave goes on past that wave's failures.")
final class RolloutResumeCommand extends RolloutSteer {
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
