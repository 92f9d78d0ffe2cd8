package dev.flotilla.cli;

import picocli.CommandLine.Command;

/** {@code flotilla receipts}: the signed apply receipts devices send. */
@Command(name = "receipts", mixinStandardHelpOptions = true, description = "Check the signed receipts devices send.",
    subcommands = ReceiptsVerifyCommand.class)
final class ReceiptsCommand {
}
