package dev.flotilla.render;

import dev.flotilla.fleet.FleetTree;
import dev.flotilla.fleet.Problem;
import dev.flotilla.fleet.Severity;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A whole fleet rendered at one revision: every claimed device's state, or the errors that stop it. */
public record FleetRender(Map<String, RenderedDevice> devices, List<Problem> errors) {
  /** A fleet with no device bundles (before the first valid commit). */
  public static final FleetRender EMPTY = new FleetRender(Map.of(), List.of());

  public static FleetRender of(FleetTree tree, FleetValidator validator) throws IOException {
    var report = validator.validate(tree);
    var errors = report.problems().stream().filter(p -> p.severity() == Severity.ERROR).toList();
    var devices = new TreeMap<String, RenderedDevice>();
    if (errors.isEmpty()) {
      var renderer = new DeviceRenderer(FleetIndex.of(report.snapshot()));
      report.snapshot().devices().stream().filter(d -> d.resource().getSpec().getIdentity() != null)
          .map(renderer::render).forEach(r -> devices.put(r.device(), r));
    }
    return new FleetRender(devices, errors);
  }
}
