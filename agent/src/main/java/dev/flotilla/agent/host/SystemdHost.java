package dev.flotilla.agent.host;

import dev.flotilla.agent.host.apps.AppStore;
import dev.flotilla.agent.host.apps.ArtifactSource;
import dev.flotilla.agent.host.systemd.Systemd;
import java.nio.file.Path;

/**
 * The systemd side of a host: the bus, the apps directory and where artifacts come from. Absent (null where it is
 * passed) when the agent config names no D-Bus address; units and apps are then not managed.
 *
 * @param systemd systemd; the agent's is a {@link dev.flotilla.agent.host.systemd.SystemdConnection}, which
 *     connects at its first use
 * @param apps the apps directory
 * @param artifacts where app artifacts are downloaded from
 * @param hostRoot the host root, for reading the journal of failing units
 */
public record SystemdHost(Systemd systemd, AppStore apps, ArtifactSource artifacts, Path hostRoot) {}
