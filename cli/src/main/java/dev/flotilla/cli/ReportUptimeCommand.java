package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.fleet.RepoOption;
import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.history.BranchHistory;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.model.Device;
import dev.flotilla.output.Output;
import dev.flotilla.report.ReportCsv;
import dev.flotilla.report.ReportPdf;
import dev.flotilla.report.UptimeReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla report uptime --tenant T --from DATE --to DATE}: the tenant's uptime per device and group, from the
 * history on the checkout's status branch (devices from the checkout's HEAD), as CSV, JSON or a printable PDF.
 * The same branch and period always give the same CSV bytes.
 */
@Command(name = "uptime", mixinStandardHelpOptions = true, description = "Uptime per device and group of a tenant "
    + "for a period, from the history on the status branch: downtime (offline or failing), episodes, MTTR, applies, "
    + "failures. Exit 0 written, 1 failed, 2 usage.")
final class ReportUptimeCommand implements Callable<Integer> {
  /** More events than any one tenant's period holds in practice; beyond it the report says it is cut. */
  static final int MAX_EVENTS = 5_000_000;

  @Spec
  CommandSpec spec;

  @Mixin
  RepoOption checkout;

  @Option(names = "--tenant", required = true, paramLabel = "T")
  String tenant;

  @Option(names = "--from", required = true, paramLabel = "DATE", description = "First day (UTC), such as 2026-11-01.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "DATE", description = "Day after the last (UTC), exclusive.")
  String to;

  @Option(names = "--by", defaultValue = "site", paramLabel = "device|site|label:K",
      description = "Group devices by themselves, by their location's site, or by label K (default: ${DEFAULT-VALUE}).")
  String by;

  @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|json|pdf")
  String format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write here (required for pdf; else standard output).")
  Path out;

  @Override
  public Integer call() throws IOException {
    var period = new Instant[] {day("--from", from), day("--to", to)};
    if (!period[0].isBefore(period[1])) {
      throw new UserException(Flotilla.USAGE, "report uptime: --from " + from + " is not before --to " + to);
    }
    var grouping = grouping();
    if (format.equals("pdf") && out == null) {
      throw new UserException(Flotilla.USAGE, "report uptime: a PDF needs --out FILE");
    }
    var members = new ArrayList<UptimeReport.Member>();
    var head = checkout.head();
    for (var device : new FleetLoader().load(head).snapshot().devices()) {
      var meta = device.resource().getMetadata();
      if (tenant.equals(meta.getTenant())) {
        members.add(new UptimeReport.Member(meta.getName(), grouping.apply(device.resource()), null));
      }
    }
    if (members.isEmpty()) {
      throw new UserException(Flotilla.FAILURE, "report uptime: tenant '" + tenant + "' has no devices at HEAD");
    }
    var report = UptimeReport.of(tenant, period[0], period[1], by, members, events(period[1]),
        UptimeReport.Maintenance.NONE);
    write(report);
    return Flotilla.OK;
  }

  /** The tenant's offline, online and receipt events before {@code end}, oldest first, by device. */
  private java.util.Map<String, List<HistoryEvent>> events(Instant end) throws IOException {
    var result = BranchHistory.query(checkout.statusBranch(), new HistoryQuery(tenant, null,
        EnumSet.of(EventKind.OFFLINE, EventKind.ONLINE, EventKind.RECEIPT), null, end, MAX_EVENTS));
    var err = Output.errorsOf(spec);
    result.tampered().forEach(t -> err.line("flotilla: " + t + "; left out of the report"));
    var byDevice = new HashMap<String, List<HistoryEvent>>();
    for (var event : result.events()) {
      if (event.device() != null) {
        byDevice.computeIfAbsent(event.device(), d -> new ArrayList<>()).add(event);
      }
    }
    byDevice.values().forEach(Collections::reverse);
    return byDevice;
  }

  private void write(UptimeReport report) throws IOException {
    byte[] bytes = switch (format) {
      case "csv" -> ReportCsv.of(report).getBytes(StandardCharsets.UTF_8);
      case "json" -> new com.fasterxml.jackson.databind.ObjectMapper()
          .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
      case "pdf" -> ReportPdf.of(report);
      default -> throw new UserException(Flotilla.USAGE, "report uptime: no --format '" + format
          + "'; use csv, json or pdf");
    };
    if (out == null) {
      Output.of(spec).text(new String(bytes, StandardCharsets.UTF_8));
      return;
    }
    Files.write(out, bytes);
    Output.errorsOf(spec).line("flotilla: wrote " + out + " (" + bytes.length + " bytes)");
  }

  /** The group of a device that --by names: itself, its location's site, or a label's value. */
  private Function<Device, String> grouping() {
    if (by.equals("device")) {
      return device -> device.getMetadata().getName();
    }
    if (by.equals("site")) {
      return device -> device.getSpec().getLocation() == null || device.getSpec().getLocation().getSite() == null
          ? "(no site)" : device.getSpec().getLocation().getSite();
    }
    if (by.startsWith("label:") && by.length() > "label:".length()) {
      var label = by.substring("label:".length());
      return device -> device.getMetadata().getLabels().getOrDefault(label, "(no " + label + ")");
    }
    throw new UserException(Flotilla.USAGE, "report uptime: no --by '" + by + "'; use device, site or label:K");
  }

  private static Instant day(String flag, String text) {
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new UserException(Flotilla.USAGE, "report uptime: " + flag + " '" + text + "' is not a date such as"
          + " 2026-11-01");
    }
  }
}
