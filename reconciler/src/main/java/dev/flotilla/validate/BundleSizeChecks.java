package dev.flotilla.validate;

import dev.flotilla.bundle.BundleFormat;
import dev.flotilla.bundle.BundlePayloads;
import dev.flotilla.fleet.Document;
import dev.flotilla.schema.Problem;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.Device;
import dev.flotilla.render.DeviceRenderer;
import dev.flotilla.render.FleetIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every claimed device's signed bundle must fit under {@link BundleFormat#MAX_BYTES}, the size agents read at most:
 * a device over it is an error on its Device file naming the file and line of its largest part, the inline file
 * content (or unit file) that weighs most among the policies that select it and its own state. Rendering every
 * device would cost a second render pass, so a device is rendered only when a bound of its bundle (eight bytes
 * per character of content, which covers JSON escapes and base64, plus a fixed share per entry) reaches the cap.
 * Pure.
 */
final class BundleSizeChecks {
  /** What an entry other than its content (path, mode, key, value, unit, drift mode) may add to a bundle. */
  private static final int ENTRY_BYTES = 1024;
  /** What a bundle holds besides its state: names, identity, times, drift modes of the defaults. */
  private static final int BASE_BYTES = 64 * 1024;

  private BundleSizeChecks() {}

  static void check(FleetIndex index, List<Problem> out) {
    var snapshot = index.snapshot();
    if (snapshot.fleet().isEmpty() || snapshot.trustRoot().isEmpty()) {
      return; // reported elsewhere; nothing can be rendered without them
    }
    var renderer = new DeviceRenderer(index);
    for (var device : snapshot.devices()) {
      if (device.resource().getSpec().getIdentity() == null) {
        continue; // not claimed: no bundle
      }
      var parts = new ArrayList<Document<?>>(renderer.selecting(device));
      parts.add(device);
      long bound = BASE_BYTES;
      for (var part : parts) {
        var weight = weight(state(part));
        bound += 8 * weight.chars() + weight.entries() * ENTRY_BYTES;
      }
      if (bound >= BundleFormat.MAX_BYTES) {
        measure(renderer, device, parts, out);
      }
    }
  }

  /** Renders the device and reports it when its signed bundle would be over the cap. */
  private static void measure(DeviceRenderer renderer, Document<Device> device, List<Document<?>> parts,
      List<Problem> out) {
    var size = BundlePayloads.signedSize(renderer.render(device).bytes().length);
    if (size <= BundleFormat.MAX_BYTES) {
      return;
    }
    var largest = parts.stream().max(Comparator.comparingLong(p -> weight(state(p)).chars())).orElseThrow();
    var field = largestField(state(largest));
    out.add(Problem.error(device.path(), device.locate("metadata", "name"), "metadata.name",
        "device '" + device.resource().getMetadata().getName() + "' would get a bundle of about " + size
            + " bytes, over the cap of " + BundleFormat.cap() + " that agents accept; its largest part is "
            + Where.of(largest, field) + " (" + weight(state(largest)).chars() + " characters of content)",
        "move large file content into an artifact ('flotilla artifact add'), or narrow the policy's selector"));
  }

  private record Weight(long chars, long entries) {}

  /** The characters of inline file and unit file content in {@code state}, and its number of entries. */
  private static Weight weight(DesiredState state) {
    if (state == null) {
      return new Weight(0, 0);
    }
    long chars = 0;
    for (var file : state.getFiles()) {
      chars += file.getContent() == null ? 0 : file.getContent().length();
    }
    for (var service : state.getServices()) {
      chars += service.getUnitFile() == null ? 0 : service.getUnitFile().length();
    }
    var entries = state.getFiles().size() + state.getServices().size() + state.getApps().size()
        + (state.getSysctl() == null ? 0 : state.getSysctl().size());
    return new Weight(chars, entries);
  }

  /** The field of the largest inline file content in {@code state}, or the state itself when it has none. */
  private static Object[] largestField(DesiredState state) {
    if (state == null) {
      return new Object[] {"spec"};
    }
    int best = -1;
    for (int i = 0; i < state.getFiles().size(); i++) {
      var content = state.getFiles().get(i).getContent();
      if (content != null && (best < 0 || content.length() > state.getFiles().get(best).getContent().length())) {
        best = i;
      }
    }
    return best < 0 ? new Object[] {"spec", "state"} : new Object[] {"spec", "state", "files", best, "content"};
  }

  private static DesiredState state(Document<?> document) {
    return switch (document.resource()) {
      case dev.flotilla.model.Policy policy -> policy.getSpec().getState();
      case Device device -> device.getSpec().getState();
      default -> null;
    };
  }
}
