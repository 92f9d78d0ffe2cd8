package dev.flotilla.preview;

import dev.flotilla.fleet.FleetTree;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.render.RenderCache;
import dev.flotilla.render.RenderedDevice;
import dev.flotilla.render.RolloutVersions;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.schema.Problem;
import dev.flotilla.schema.Severity;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A whole fleet rendered at one revision as the reconciler renders it: every claimed device's state, with the
 * versions the rollouts give it, or the errors that stop it.
 *
 * @param versions the versions rollouts give devices in this render, with their rollout and wave
 */
public record FleetRender(Map<String, RenderedDevice> devices, List<Problem> errors, RolloutVersions versions) {
  /** A fleet with no device bundles (before the first valid commit). */
  public static final FleetRender EMPTY = new FleetRender(Map.of(), List.of(), RolloutVersions.NONE);

  /** The fleet at {@code tree} with no rollout started. */
  public static FleetRender of(FleetTree tree, FleetValidator validator) throws IOException {
    return of(tree, validator, Map.of());
  }

  /**
   * The fleet at {@code tree}, its rollouts at {@code states} (by {@code tenant/name}, as the status branch holds
   * them): as the reconciler does, only the states of rollouts the revision declares give versions.
   */
  public static FleetRender of(FleetTree tree, FleetValidator validator, Map<String, RolloutState> states)
      throws IOException {
    var report = validator.validate(tree);
    var errors = report.problems().stream().filter(p -> p.severity() == Severity.ERROR).toList();
    if (!errors.isEmpty()) {
      return new FleetRender(Map.of(), errors, RolloutVersions.NONE);
    }
    var index = FleetIndex.of(report.snapshot());
    var declared = index.snapshot().rollouts().stream()
        .map(r -> states.get(r.resource().getMetadata().getTenant() + "/" + r.resource().getMetadata().getName()))
        .filter(s -> s != null).toList();
    var versions = RolloutState.versions(declared);
    var devices = new TreeMap<String, RenderedDevice>();
    new RenderCache().render(index, versions).forEach(r -> devices.put(r.device(), r));
    return new FleetRender(devices, errors, versions);
  }
}
