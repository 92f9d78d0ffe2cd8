package dev.flotilla.cli;

import picocli.CommandLine.Command;

/** {@code flotilla report uptime}: reports computed from the fleet's history. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Reports from the fleet's history.",
    subcommands = {ReportUptimeCommand.class})
final class ReportCommand {
}
