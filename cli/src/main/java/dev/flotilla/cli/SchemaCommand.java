package dev.flotilla.cli;

import picocli.CommandLine.Command;

/** {@code flotilla schema export DIR}: writes the schemas, so editors can validate fleet files as you type. */
@Command(name = "schema", mixinStandardHelpOptions = true, description = "Work with the fleet schemas.",
    subcommands = SchemaExportCommand.class)
final class SchemaCommand {}
