package dev.flotilla.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The report as CSV (RFC 4180): one line per device, then one per group, then the total, with numbers rounded half
 * up to fixed decimals in one locale-free form, so the same history always gives the same bytes.
 */
public final class ReportCsv {
  static final String HEADER = "level,group,device,uptime_percent,downtime_minutes,maintenance_minutes,episodes,"
      + "mttr_minutes,applies,failures,downtime_cost";

  private ReportCsv() {
  }

  public static String of(UptimeReport report) {
    var out = new StringBuilder(HEADER).append("\r\n");
    report.devices().forEach(row -> line(out, "device", row));
    report.groups().forEach(row -> line(out, "group", row));
    line(out, "total", report.total());
    return out.toString();
  }

  /** The cells of {@code row} as they are printed, in CSV and PDF alike. */
  static List<String> cells(UptimeReport.Row row) {
    var cells = new ArrayList<String>();
    cells.add(row.group());
    cells.add(row.device() == null ? "" : row.device());
    cells.add(fixed(row.uptimePercent(), 3));
    cells.add(fixed(row.downtimeMinutes(), 1));
    cells.add(fixed(row.maintenanceMinutes(), 1));
    cells.add(Integer.toString(row.episodes()));
    cells.add(row.mttrMinutes() == null ? "" : fixed(row.mttrMinutes(), 1));
    cells.add(Integer.toString(row.applies()));
    cells.add(Integer.toString(row.failures()));
    cells.add(row.downtimeCost() == null ? "" : fixed(row.downtimeCost(), 2));
    return cells;
  }

  static String fixed(double value, int decimals) {
    return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
  }

  private static void line(StringBuilder out, String level, UptimeReport.Row row) {
    out.append(level);
    for (var cell : cells(row)) {
      out.append(',').append(quote(cell));
    }
    out.append("\r\n");
  }

  private static String quote(String cell) {
    if (cell.matches("[A-Za-z0-9 ._:/=-]*")) {
      return cell;
    }
    return '"' + cell.replace("\"", "\"\"") + '"';
  }
}
