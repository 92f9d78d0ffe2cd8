package dev.flotilla.agent.drift;

import dev.flotilla.plan.PersistSysctl;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.schema.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the drift watcher watches for one bundle: the declared files (and the agent's sysctl.d file when sysctl is
 * declared), the declared sysctl values, how often to poll
 * them and how long to let a burst of events settle. An immutable value.
 */
public record WatchSet(Set<String> files, Map<String, String> sysctl, Duration sysctlPoll, Duration debounce) {
  /** Poll interval when the bundle sets none. */
  public static final Duration DEFAULT_SYSCTL_POLL = Duration.ofSeconds(10);
  /** Debounce when the bundle sets none: long enough for an editor's write-and-rename, short for latency. */
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(100);
  public static final WatchSet NONE = new WatchSet(Set.of(), Map.of(), DEFAULT_SYSCTL_POLL, DEFAULT_DEBOUNCE);

  public WatchSet {
    files = Set.copyOf(new TreeSet<>(files));
    sysctl = Map.copyOf(new TreeMap<>(sysctl));
  }

  /** The watch set of a verified bundle's payload, with defaults for what it leaves out. Pure. */
  public static WatchSet of(BundlePayload payload) {
    var state = payload.getState();
    var files = new TreeSet<String>();
    if (state.getFiles() != null) {
      state.getFiles().forEach(f -> files.add(f.getPath()));
    }
    if (state.getSysctl() != null && !state.getSysctl().isEmpty()) {
      files.add(PersistSysctl.PATH);
    }
    var timing = payload.getDriftTiming();
    var poll = timing == null || timing.getSysctlPollInterval() == null ? DEFAULT_SYSCTL_POLL
        : Durations.parse(timing.getSysctlPollInterval());
    var debounce = timing == null || timing.getDebounce() == null ? DEFAULT_DEBOUNCE : Durations.parse(timing.getDebounce());
    return new WatchSet(files, state.getSysctl() == null ? Map.of() : state.getSysctl(), poll, debounce);
  }
}
