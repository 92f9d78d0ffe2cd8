package dev.flotilla.cli;

import dev.flotilla.preview.FleetPlan;
import dev.flotilla.preview.FleetPlan.DevicePlan;
import dev.flotilla.preview.FleetPlan.PlannedChange;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How {@code flotilla plan} prints a {@link FleetPlan}. Text: devices with the same changes as one group, the device
 * list wrapped at {@value #WIDTH} columns and cut after {@value #DEVICE_LINES} lines ("and N more"), then the blast
 * radius. JSON and YAML: each distinct change once, as an object with the devices it applies to. Pure but for the
 * writer.
 */
final class PlanOutput {
  /** The text output's width. */
  static final int WIDTH = 120;
  /** How many lines of device names a group shows before "and N more". */
  static final int DEVICE_LINES = 3;
  private static final String INDENT = "    ";

  /** One change and every device ({@code tenant/device}) it applies to. */
  record ChangeOnDevices(String kind, String key, String from, String to, String line, boolean reportOnly,
      String rollout, String wave, String held, List<String> devices) {}

  private PlanOutput() {
  }

  /** The plan as a value for {@code -o json|yaml}: base, head, counts, and each distinct change with its devices. */
  static Map<String, Object> value(FleetPlan plan, String base, String head) {
    var byChange = new LinkedHashMap<PlannedChange, List<String>>();
    plan.devices().forEach(d -> d.changes().forEach(c ->
        byChange.computeIfAbsent(c, k -> new ArrayList<>()).add(name(d))));
    var changes = byChange.entrySet().stream().map(e -> {
      var c = e.getKey();
      return new ChangeOnDevices(c.kind(), c.key(), c.from(), c.to(), c.line(), c.reportOnly(), c.rollout(),
          c.wave(), c.held(), e.getValue());
    }).toList();
    var json = new LinkedHashMap<String, Object>();
    json.put("base", base);
    json.put("head", head);
    json.put("devices", plan.devices().size());
    json.put("tenants", tenants(plan));
    json.put("total", plan.total());
    json.put("changes", changes);
    return json;
  }

  static void text(PrintWriter out, FleetPlan plan, String base, String head) {
    if (plan.devices().isEmpty()) {
      out.println("no device changes between " + base + " and " + head);
      return;
    }
    // Devices with the same changes are listed together, so a policy change reads as one group.
    var groups = new TreeMap<String, List<DevicePlan>>();
    plan.devices().forEach(d -> groups.computeIfAbsent(String.join("\n",
        d.changes().stream().map(PlannedChange::text).toList()), k -> new ArrayList<>()).add(d));
    for (var group : groups.entrySet()) {
      var names = group.getValue().stream().map(PlanOutput::name).toList();
      wrap(names.size() + " device(s): ", names).forEach(out::println);
      group.getKey().lines().forEach(line -> out.println("  " + line));
    }
    out.printf("blast radius: %d of %d devices, %d tenant(s) (%s..%s)%n", plan.devices().size(), plan.total(),
        tenants(plan), base, head);
  }

  /**
   * {@code names} after {@code head}, comma-separated, in lines of at most {@link #WIDTH} columns (a longer name
   * gets a line of its own), at most {@link #DEVICE_LINES} of them, then {@code and N more}.
   */
  static List<String> wrap(String head, List<String> names) {
    var lines = new ArrayList<String>();
    var line = new StringBuilder(head);
    var onLine = 0;
    for (int i = 0; i < names.size(); i++) {
      var item = names.get(i) + (i < names.size() - 1 ? "," : "");
      if (onLine > 0 && line.length() + 1 + item.length() > WIDTH) {
        lines.add(line.toString());
        if (lines.size() == DEVICE_LINES) {
          lines.add(INDENT + "and " + (names.size() - i) + " more (-o json lists every device)");
          return lines;
        }
        line = new StringBuilder(INDENT);
        onLine = 0;
      }
      line.append(onLine > 0 ? " " : "").append(item);
      onLine++;
    }
    lines.add(line.toString());
    return lines;
  }

  private static String name(DevicePlan device) {
    return device.tenant() + "/" + device.device();
  }

  private static long tenants(FleetPlan plan) {
    return plan.devices().stream().map(DevicePlan::tenant).distinct().count();
  }
}
