package dev.flotilla.cli;

import picocli.CommandLine.Command;

/** {@code flotilla secret seal|reseal}: secrets sealed to each device's key, in the fleet repo. */
@Command(name = "secret", mixinStandardHelpOptions = true,
    description = "Seal secrets to devices' keys; the fleet repo holds only what each device alone can open.",
    subcommands = {SecretSealCommand.class, SecretResealCommand.class})
final class SecretCommand {}
