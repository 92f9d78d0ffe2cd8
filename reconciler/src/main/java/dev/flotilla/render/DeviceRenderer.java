package dev.flotilla.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.fleet.Document;
import dev.flotilla.model.AppSpec;
import dev.flotilla.model.BundleArtifact;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.Device;
import dev.flotilla.model.DriftMode;
import dev.flotilla.model.DriftSettings;
import dev.flotilla.model.DriftTiming;
import dev.flotilla.model.JournaldWatcher;
import dev.flotilla.model.MaintenanceWindow;
import dev.flotilla.model.Pin;
import dev.flotilla.model.Policy;
import dev.flotilla.model.WatcherSettings;
import dev.flotilla.schema.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Renders one device's desired state from a fleet snapshot: the policies of its tenant that select it, merged by
 * priority, its own state on top, the versions rollouts give it, its pins (which win over rollouts), the artifacts
 * its apps run, and the drift mode of every resource. Pure and deterministic: the same snapshot and rollout versions
 * give the same {@link RenderedDevice}, byte for byte.
 */
public final class DeviceRenderer {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final FleetIndex index;
  private final RolloutVersions rollouts;
  /** The policies of each tenant in path order, read once: a fleet has far more devices than policies. */
  private final Map<String, List<Document<Policy>>> policiesByTenant;
  /** What each policy sets; it does not depend on the device, so it is worked out once per policy. */
  private final Map<Document<Policy>, Map<ResourceKey, PolicyMerger.Contribution>> contributions;
  private final SealedFiles sealed;

  /** Indexes the snapshot's policies; the renderer is immutable after that, so any number of threads may use it. */
  public DeviceRenderer(FleetIndex index) {
    this(index, RolloutVersions.NONE);
  }

  /** A renderer that gives devices of started rollout waves the rollout's version; pins still win. */
  public DeviceRenderer(FleetIndex index, RolloutVersions rollouts) {
    this.index = index;
    this.rollouts = rollouts;
    var byTenant = new HashMap<String, List<Document<Policy>>>();
    var sets = new IdentityHashMap<Document<Policy>, Map<ResourceKey, PolicyMerger.Contribution>>();
    for (var policy : index.snapshot().policies()) {
      byTenant.computeIfAbsent(policy.resource().getMetadata().getTenant(), t -> new ArrayList<>()).add(policy);
      sets.put(policy, PolicyMerger.contributions(policy));
    }
    byTenant.replaceAll((tenant, policies) -> List.copyOf(policies));
    this.policiesByTenant = byTenant;
    this.contributions = sets;
    this.sealed = new SealedFiles(index.snapshot());
  }

  FleetIndex index() {
    return index;
  }

  RolloutVersions rollouts() {
    return rollouts;
  }

  /** The policies of the device's tenant whose selector matches it, in path order. */
  public List<Document<Policy>> selecting(Document<Device> device) {
    return policiesByTenant.getOrDefault(device.resource().getMetadata().getTenant(), List.of()).stream()
        .filter(p -> Selectors.matches(p.resource().getSpec().getSelector(), device.resource()))
        .toList();
  }

  /** Renders a device; devices without an identity yet (not claimed) get no bundle and are not passed here. */
  public RenderedDevice render(Document<Device> device) {
    var spec = device.resource().getSpec();
    var policies = selecting(device);
    var merged = PolicyMerger.merge(policies.stream().map(contributions::get).toList(), spec.getState());
    var state = merged.state();
    var name = device.resource().getMetadata().getName();
    state.getApps().replaceAll(app -> pinned(rolledOut(app, rollouts.version(name, app.getArtifact())),
        spec.getPins()));
    sealed.seal(state.getFiles(), device.resource().getMetadata().getTenant(), name);
    state.setSysctlNeedsRestart(needsRestart(policies, spec.getState(), state.getSysctl()));

    var payload = new BundlePayload();
    payload.setApiVersion("flotilla.dev/v1");
    payload.setKind("Bundle");
    payload.setFleet(index.snapshot().fleet().orElseThrow().resource().getMetadata().getName());
    payload.setTenant(device.resource().getMetadata().getTenant());
    payload.setDevice(device.resource().getMetadata().getName());
    payload.setIdentityHash(spec.getIdentity().getHash());
    payload.setRootVersion(index.snapshot().trustRoot().orElseThrow().resource().getSigned().getVersion());
    payload.setPollInterval(pollInterval());
    payload.setState(state);
    payload.setDriftModes(driftModes(merged));
    payload.setDriftTiming(driftTiming(policies));
    payload.setWatchers(watchers(policies));
    payload.setArtifacts(artifacts(state.getApps()));
    var windows = windows(device, policies);
    payload.setMaintenanceWindows(windows.isEmpty() ? null : windows);
    payload.setUrgent(urgent(merged));
    payload.setDrain(Boolean.TRUE.equals(spec.getDrain()) ? true : null);
    return RenderedDevice.of(payload);
  }

  private static AppSpec rolledOut(AppSpec app, String version) {
    if (version == null || version.equals(app.getVersion())) {
      return app;
    }
    var copy = MAPPER.convertValue(app, AppSpec.class);
    copy.setVersion(version);
    return copy;
  }

  private static AppSpec pinned(AppSpec app, List<Pin> pins) {
    for (var pin : pins) {
      if (pin.getArtifact().equals(app.getArtifact()) && !pin.getVersion().equals(app.getVersion())) {
        var copy = MAPPER.convertValue(app, AppSpec.class);
        copy.setVersion(pin.getVersion());
        return copy;
      }
    }
    return app;
  }

  private String pollInterval() {
    var defaults = index.snapshot().fleet().orElseThrow().resource().getSpec().getDefaults();
    return defaults == null ? null : defaults.getPollInterval();
  }

  private DriftMode fleetDriftMode() {
    var defaults = index.snapshot().fleet().orElseThrow().resource().getSpec().getDefaults();
    return defaults == null || defaults.getDriftMode() == null ? DriftMode.ENFORCE : defaults.getDriftMode();
  }

  /** The drift mode of every resource that is not the default 'enforce'; keys are 'file:/path', 'sysctl:key' … */
  private Map<String, DriftMode> driftModes(PolicyMerger.Merged merged) {
    var modes = new TreeMap<String, DriftMode>();
    var state = merged.state();
    state.getFiles().forEach(f -> put(modes, "file:" + f.getPath(),
        f.getDrift(), policyMode(merged, ResourceKey.Type.FILE, f.getPath(), false)));
    state.getServices().forEach(s -> put(modes, "unit:" + s.getUnit(),
        s.getDrift(), policyMode(merged, ResourceKey.Type.UNIT, s.getUnit(), false)));
    state.getSysctl().keySet().forEach(k -> put(modes, "sysctl:" + k,
        null, policyMode(merged, ResourceKey.Type.SYSCTL, k, true)));
    state.getApps().forEach(a -> put(modes, "app:" + a.getName(),
        a.getDrift(), policyMode(merged, ResourceKey.Type.APP, a.getName(), false)));
    return modes.isEmpty() ? null : modes;
  }

  private DriftMode policyMode(PolicyMerger.Merged merged, ResourceKey.Type type, String name, boolean sysctl) {
    var policy = merged.sources().get(new ResourceKey(type, name));
    var drift = policy == null ? null : policy.resource().getSpec().getDrift();
    if (drift != null && sysctl && drift.getSysctl() != null) {
      return drift.getSysctl();
    }
    return drift != null && drift.getMode() != null ? drift.getMode() : fleetDriftMode();
  }

  private static void put(Map<String, DriftMode> modes, String key, DriftMode own, DriftMode inherited) {
    var mode = own != null ? own : inherited;
    if (mode != DriftMode.ENFORCE) {
      modes.put(key, mode);
    }
  }

  /** The shortest sysctl poll interval and debounce the selecting policies ask for; null when none sets either. */
  static DriftTiming driftTiming(List<Document<Policy>> policies) {
    var drifts = policies.stream().map(p -> p.resource().getSpec().getDrift()).filter(d -> d != null).toList();
    var timing = new DriftTiming();
    timing.setSysctlPollInterval(shortest(drifts, DriftSettings::getSysctlPollInterval));
    timing.setDebounce(shortest(drifts, DriftSettings::getDebounce));
    return timing.getSysctlPollInterval() == null && timing.getDebounce() == null ? null : timing;
  }

  /**
   * The journald watcher merged from the selecting policies that set one: the union of their units (a policy naming
   * none watches its own services) and the most lines any asks for; null when none sets one.
   */
  static WatcherSettings watchers(List<Document<Policy>> policies) {
    var units = new TreeSet<String>();
    Long lines = null;
    for (var policy : policies) {
      var spec = policy.resource().getSpec();
      var journald = spec.getWatchers() == null ? null : spec.getWatchers().getJournald();
      if (journald == null) {
        continue;
      }
      if (journald.getUnits() != null && !journald.getUnits().isEmpty()) {
        units.addAll(journald.getUnits());
      } else if (spec.getState() != null && spec.getState().getServices() != null) {
        spec.getState().getServices().forEach(service -> units.add(service.getUnit()));
      }
      lines = lines == null || journald.getLines() > lines ? journald.getLines() : lines;
    }
    if (lines == null) {
      return null;
    }
    var journald = new JournaldWatcher();
    journald.setUnits(List.copyOf(units));
    journald.setLines(lines);
    var watchers = new WatcherSettings();
    watchers.setJournald(journald);
    return watchers;
  }

  private static <T> String shortest(List<T> settings, Function<T, String> field) {
    String shortest = null;
    Duration least = null;
    for (var setting : settings) {
      var text = field.apply(setting);
      var duration = text == null ? null : Durations.parse(text);
      if (duration != null && (least == null || duration.compareTo(least) < 0)) {
        shortest = text;
        least = duration;
      }
    }
    return shortest;
  }

  private List<BundleArtifact> artifacts(List<AppSpec> apps) {
    var out = new ArrayList<BundleArtifact>();
    for (var app : apps) {
      var artifact = index.artifact(app.getArtifact(), app.getVersion());
      if (artifact == null) {
        continue; // the validator reports the broken reference; an invalid commit never renders
      }
      var spec = artifact.resource().getSpec();
      var entry = new BundleArtifact();
      entry.setName(app.getArtifact());
      entry.setVersion(app.getVersion());
      entry.setType(spec.getType());
      entry.setDigest(spec.getDigest());
      entry.setSize(spec.getSize());
      entry.setUrls(List.copyOf(spec.getUrls()));
      entry.setSbomDigest(spec.getSbom() == null ? null : spec.getSbom().getDigest());
      out.add(entry);
    }
    return out.isEmpty() ? null : out;
  }

  /**
   * The maintenance windows of a device: its own when it declares any, else those of the {@code policies} that
   * select it (every distinct one). Empty means always open. The one place both bundles and rollouts take them from.
   */
  public List<MaintenanceWindow> windows(Document<Device> device, List<Document<Policy>> policies) {
    var own = device.resource().getSpec().getMaintenanceWindows();
    if (own != null && !own.isEmpty()) {
      return List.copyOf(own);
    }
    var windows = new LinkedHashSet<MaintenanceWindow>();
    policies.forEach(p -> windows.addAll(p.resource().getSpec().getMaintenanceWindows()));
    return List.copyOf(windows);
  }

  /**
   * The declared sysctl keys that the selecting policies or the device mark as needing a restart; null when none, so
   * bundles without them stay as they were.
   */
  private static Set<String> needsRestart(List<Document<Policy>> policies, DesiredState own,
      Map<String, String> declared) {
    var keys = new TreeSet<String>();
    policies.stream().map(p -> p.resource().getSpec().getState()).filter(s -> s != null)
        .forEach(s -> keys.addAll(s.getSysctlNeedsRestart()));
    if (own != null) {
      keys.addAll(own.getSysctlNeedsRestart());
    }
    keys.retainAll(declared == null ? Set.of() : declared.keySet());
    return keys.isEmpty() ? null : keys;
  }

  /** The resource keys an urgent policy set (the policy that won the key); null when there are none. */
  private static Set<String> urgent(PolicyMerger.Merged merged) {
    var keys = new TreeSet<String>();
    merged.sources().forEach((key, policy) -> {
      if (Boolean.TRUE.equals(policy.resource().getSpec().getUrgent())) {
        keys.add(key.bundleKey());
      }
    });
    return keys.isEmpty() ? null : keys;
  }
}
