package dev.flotilla.agent;

import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the agent runs with, built once from its config file and the host: who it is, where its state lives, the
 * host seams it writes through, and the trust root it starts from.
 */
public record AgentSettings(String device, String identityHash, Path stateDir, HostFiles files, Sysctl sysctl,
    byte[] initialRoot, Duration pollInterval) {}
