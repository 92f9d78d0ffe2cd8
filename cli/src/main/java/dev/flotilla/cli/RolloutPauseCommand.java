package dev.flotilla.cli;

import dev.flotilla.rollout.RolloutState;
import java.util.LinkedHashMap;
import picocli.CommandLine.Command;

/** {@code flotilla rollout pause NAME}. */
@Command(name = "pause", mixinStandardHelpOptions = true,
    description = "Pause a rollout: no more devices get the new version until it is resumed.")
final class RolloutPauseCommand extends RolloutSteer {
  String verb() {
    return "paused";
  }

  LinkedHashMap<String, Object> edits(RolloutState state) {
    var edits = new LinkedHashMap<String, Object>();
    edits.put("spec.paused", true);
    return edits;
  }
}
