package dev.flotilla.render;

import dev.flotilla.model.Device;
import dev.flotilla.model.Selector;
import dev.flotilla.model.SelectorRequirement;
import java.util.Map;

/** Label-selector matching, as Kubernetes does it, plus channels and device names. Pure. */
public final class Selectors {
  private Selectors() {}

  /** Whether {@code selector} picks {@code device}; a null or empty selector picks every device. */
  public static boolean matches(Selector selector, Device device) {
    if (selector == null) {
      return true;
    }
    var labels = device.getMetadata().getLabels() == null ? Map.<String, String>of() : device.getMetadata().getLabels();
    if (selector.getMatchLabels() != null) {
      for (var label : selector.getMatchLabels().entrySet()) {
        if (!label.getValue().equals(labels.get(label.getKey()))) {
          return false;
        }
      }
    }
    for (var requirement : selector.getMatchExpressions()) {
      if (!matches(requirement, labels)) {
        return false;
      }
    }
    if (!selector.getChannels().isEmpty() && !selector.getChannels().contains(device.getSpec().getChannel())) {
      return false;
    }
    return selector.getDevices().isEmpty() || selector.getDevices().contains(device.getMetadata().getName());
  }

  private static boolean matches(SelectorRequirement requirement, Map<String, String> labels) {
    var value = labels.get(requirement.getKey());
    return switch (requirement.getOperator()) {
      case IN -> value != null && requirement.getValues().contains(value);
      case NOT_IN -> value == null || !requirement.getValues().contains(value);
      case EXISTS -> value != null;
      case DOES_NOT_EXIST -> value == null;
    };
  }
}
