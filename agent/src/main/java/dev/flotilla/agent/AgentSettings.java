package dev.flotilla.agent;

import dev.flotilla.agent.host.SystemdHost;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.telemetry.HostReports;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;

/**
 * What the agent runs with, built once from its config file and the host: who it is, where its state lives, the
 * host seams it writes through, and the trust root it starts from. {@code systemd} is null when the config names
 * no D-Bus address: units and apps are then reported as not managed. {@code deviceKey} opens the secrets sealed to
 * the device, only when a file is written; null refuses sealed files. {@code keyFingerprint} is its public key's
 * id when known, for a clearer refusal of a value sealed to another key. {@code telemetry} is null when status
 * reports carry no host summary.
 */
public record AgentSettings(String device, String identityHash, Path stateDir, HostFiles files, Sysctl sysctl,
    byte[] initialRoot, Duration pollInterval, SystemdHost systemd, PrivateKey deviceKey, String keyFingerprint,
    HostReports telemetry) {

  /** Settings without a device key or a host summary. */
  public AgentSettings(String device, String identityHash, Path stateDir, HostFiles files, Sysctl sysctl,
      byte[] initialRoot, Duration pollInterval, SystemdHost systemd) {
    this(device, identityHash, stateDir, files, sysctl, initialRoot, pollInterval, systemd, null, null, null);
  }

  /** Settings with a device key, without a host summary. */
  public AgentSettings(String device, String identityHash, Path stateDir, HostFiles files, Sysctl sysctl,
      byte[] initialRoot, Duration pollInterval, SystemdHost systemd, PrivateKey deviceKey, String keyFingerprint) {
    this(device, identityHash, stateDir, files, sysctl, initialRoot, pollInterval, systemd, deviceKey, keyFingerprint,
        null);
  }

  /** Settings with a host summary, without a device key. */
  public AgentSettings(String device, String identityHash, Path stateDir, HostFiles files, Sysctl sysctl,
      byte[] initialRoot, Duration pollInterval, SystemdHost systemd, HostReports telemetry) {
    this(device, identityHash, stateDir, files, sysctl, initialRoot, pollInterval, systemd, null, null, telemetry);
  }

  /** Settings without a systemd bus. */
  public AgentSettings(String device, String identityHash, Path stateDir, HostFiles files, Sysctl sysctl,
      byte[] initialRoot, Duration pollInterval) {
    this(device, identityHash, stateDir, files, sysctl, initialRoot, pollInterval, null);
  }
}
