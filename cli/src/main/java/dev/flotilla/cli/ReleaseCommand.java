package dev.flotilla.cli;

import picocli.CommandLine.Command;

/** {@code flotilla release sbom|sign|verify}: the SBOMs, sums and signature published beside Flotilla's packages. */
@Command(name = "release", mixinStandardHelpOptions = true, description = "Make and check the SBOMs, SHA-256 sums"
    + " and signature published beside Flotilla's own packages (packaging/build-debs.sh runs these).",
    subcommands = {ReleaseSbomCommand.class, ReleaseSignCommand.class, ReleaseVerifyCommand.class})
final class ReleaseCommand {}
