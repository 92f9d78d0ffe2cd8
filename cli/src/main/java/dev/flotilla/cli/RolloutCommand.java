package dev.flotilla.cli;

import picocli.CommandLine.Command;

/**
 * {@code flotilla rollout create|simulate|status|pause|resume|abort}. Pause, resume and abort edit the Rollout
 * file (comments and formatting kept) and commit it; the reconciler acts on the commit. Status reads the status
 * branch the reconciler writes.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true, description = "Create, simulate, watch and steer rollouts.",
    subcommands = {RolloutCreateCommand.class, RolloutSimulateCommand.class, RolloutStatusCommand.class,
        RolloutPauseCommand.class, RolloutResumeCommand.class, RolloutAbortCommand.class})
final class RolloutCommand {}
