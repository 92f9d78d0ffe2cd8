package dev.flotilla.agent.host.systemd;

import dev.flotilla.agent.plan.ObservedUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link Systemd} for unit tests of what the agent asks systemd to do: it records each call ({@code stop x.service},
 * {@code disable x.service}, {@code reload} …) and answers every unit as active (or, with {@code active} false, as
 * missing). The nspawn ITs show the same calls against a real systemd.
 */
public final class RecordingSystemd implements Systemd {
  public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final boolean active;

  public RecordingSystemd(boolean active) {
    this.active = active;
  }

  @Override
  public ObservedUnit unit(String unit) {
    return active ? new ObservedUnit(unit, "loaded", "active", "running", "enabled", "success", 0, 0, 1)
        : ObservedUnit.missing(unit);
  }

  @Override
  public void start(String unit) {
    calls.add("start " + unit);
  }

  @Override
  public void restart(String unit) {
    calls.add("restart " + unit);
  }

  @Override
  public void stop(String unit) {
    calls.add("stop " + unit);
  }

  @Override
  public void enable(String unit, boolean enable) {
    calls.add((enable ? "enable " : "disable ") + unit);
  }

  @Override
  public void reload() {
    calls.add("reload");
  }

  @Override
  public void close() {
  }
}
