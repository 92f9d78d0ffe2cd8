package dev.flotilla.agent.host.systemd;

import dev.flotilla.plan.ObservedUnit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Systemd} for unit tests of what the agent asks systemd to do: it records each call ({@code stop x.service},
 * {@code disable x.service}, {@code reload} …) and answers every unit as active and enabled until it is stopped or
 * disabled (or, with {@code active} false, every unit as missing); a unit in {@link #failing} comes up failed, one
 * in {@link #refused} cannot be restarted. The nspawn ITs show the same calls against a real systemd.
 */
public final class RecordingSystemd implements Systemd {
  public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  /** Units that are failed whenever they are asked about (a health check of them fails). */
  public final Set<String> failing = ConcurrentHashMap.newKeySet();
  /** Units whose restart systemd refuses (the call still counts). */
  public final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final Set<String> stopped = ConcurrentHashMap.newKeySet();
  private final Set<String> disabled = ConcurrentHashMap.newKeySet();
  private final boolean active;

  public RecordingSystemd(boolean active) {
    this.active = active;
  }

  @Override
  public ObservedUnit unit(String unit) {
    if (!active) {
      return ObservedUnit.missing(unit);
    }
    var enabled = disabled.contains(unit) ? "disabled" : "enabled";
    if (failing.contains(unit)) {
      return new ObservedUnit(unit, "loaded", "failed", "failed", enabled, "exit-code", 1, 0, 0);
    }
    return stopped.contains(unit) ? new ObservedUnit(unit, "loaded", "inactive", "dead", enabled, "success", 0, 0, 0)
        : new ObservedUnit(unit, "loaded", "active", "running", enabled, "success", 0, 0, 1);
  }

  @Override
  public void start(String unit) {
    calls.add("start " + unit);
    stopped.remove(unit);
  }

  @Override
  public void restart(String unit) throws IOException {
    calls.add("restart " + unit);
    if (refused.contains(unit)) {
      throw new IOException("restart unit '" + unit + "': job failed");
    }
    stopped.remove(unit);
  }

  @Override
  public void stop(String unit) {
    calls.add("stop " + unit);
    stopped.add(unit);
  }

  @Override
  public void enable(String unit, boolean enable) {
    calls.add((enable ? "enable " : "disable ") + unit);
    if (enable) {
      disabled.remove(unit);
    } else {
      disabled.add(unit);
    }
  }

  @Override
  public void reload() {
    calls.add("reload");
  }

  @Override
  public void close() {
  }
}
