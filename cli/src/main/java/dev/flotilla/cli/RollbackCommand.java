package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.cli.fleet.FleetCheckout;
import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.edit.YamlEdit;
import dev.flotilla.model.Device;
import dev.flotilla.render.DeviceRenderer;
import dev.flotilla.render.RolloutVersions;
import dev.flotilla.rollout.RolloutState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla rollback ROLLOUT|DEVICE}: one commit that pins the previous version (what the device's policies
 * name) of every artifact a rollout gave the device, so it goes back and stays back whatever rollouts say. For a
 * rollout, every device it updated is pinned and the rollout is aborted. Reads the status branch for who was updated.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = "Pin the previous version on a device, or on every device a rollout updated, in one commit.")
final class RollbackCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CheckoutOptions checkout;

  @Parameters(paramLabel = "ROLLOUT|DEVICE", description = "A rollout (NAME or TENANT/NAME) or a device.")
  String name;

  @Override
  public Integer call() throws IOException {
    try (var fleet = FleetCheckout.open(checkout.repo)) {
      var states = fleet.states();
      var versions = RolloutState.versions(states.values());
      var devices = new TreeMap<String, Document<Device>>();
      fleet.index.snapshot().devices().forEach(d -> devices.put(d.resource().getMetadata().getName(), d));
      var files = new LinkedHashMap<String, String>();
      String subject;
      if (devices.containsKey(name)) {
        pin(fleet, devices.get(name), versions, "rollback by 'flotilla rollback " + name + "'", files);
        subject = "Roll back device " + name;
      } else {
        var rollout = fleet.rollout(name);
        var key = rollout.resource().getMetadata().getTenant() + "/" + rollout.resource().getMetadata().getName();
        var state = states.get(key);
        var updated = state == null ? List.<String>of() : List.copyOf(state.updated());
        for (var device : updated) {
          if (devices.containsKey(device)) {
            pin(fleet, devices.get(device), versions, "rollback of rollout " + key, files);
          }
        }
        files.put(rollout.path(), YamlEdit.of(fleet.read(rollout.path())).set("spec.aborted", true).text());
        subject = "Roll back rollout " + key + " on " + (files.size() - 1) + " device(s)";
      }
      if (files.isEmpty()) {
        throw new UserException(Flotilla.FAILURE, "roll back '" + name
            + "': no rollout gave it another version than its policies; nothing to pin");
      }
      var where = checkout.commit(new FleetEdit("roll back '" + name + "'", files), subject);
      var out = spec.commandLine().getOut();
      files.keySet().forEach(path -> out.println("  ~ " + path));
      out.println(subject.toLowerCase(java.util.Locale.ROOT) + "; " + where);
      return Flotilla.OK;
    }
  }

  /** Adds a pin for each artifact whose version rollouts changed on {@code device}. */
  private static void pin(FleetCheckout fleet, Document<Device> device, RolloutVersions versions, String reason,
      Map<String, String> files) {
    if (device.resource().getSpec().getIdentity() == null) {
      return;
    }
    var before = new DeviceRenderer(fleet.index).render(device).payload().getState().getApps();
    var after = new DeviceRenderer(fleet.index, versions).render(device).payload().getState().getApps();
    var edit = YamlEdit.of(files.getOrDefault(device.path(), fleet.read(device.path())));
    var pinned = new ArrayList<String>();
    device.resource().getSpec().getPins().forEach(p -> pinned.add(p.getArtifact()));
    boolean changed = false;
    for (int i = 0; i < before.size(); i++) {
      var previous = before.get(i);
      if (!previous.getVersion().equals(after.get(i).getVersion()) && !pinned.contains(previous.getArtifact())) {
        var pin = new LinkedHashMap<String, Object>();
        pin.put("artifact", previous.getArtifact());
        pin.put("version", previous.getVersion());
        pin.put("reason", reason);
        edit = edit.append("spec.pins", pin);
        pinned.add(previous.getArtifact());
        changed = true;
      }
    }
    if (changed) {
      files.put(device.path(), edit.text());
    }
  }
}
