package dev.flotilla.cli;

import picocli.CommandLine.Command;

/** {@code flotilla keys init|rotate|sign-root}: the fleet's signing keys and its trust root. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Make and rotate the fleet's signing keys.",
    subcommands = {KeysInitCommand.class, KeysRotateCommand.class, KeysSignRootCommand.class})
final class KeysCommand {}
