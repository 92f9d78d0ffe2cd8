package dev.flotilla.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The report as a printable A4 PDF: a summary page (the period, the total and one line per group), then a table of
 * devices per group, continued on new pages with the header repeated. The numbers are {@link ReportCsv}'s cells, so
 * PDF and CSV cannot disagree.
 */
public final class ReportPdf {
  static final String[] COLUMNS = {"device", "uptime %", "down min", "maint. min", "episodes", "MTTR min",
      "applies", "failures", "cost"};
  private static final float[] X = {50, 185, 235, 285, 340, 385, 435, 475, 515};
  private static final float MARGIN = 50;
  private static final float LINE = 14;

  private ReportPdf() {
  }

  public static byte[] of(UptimeReport report) throws IOException {
    try (var document = new PDDocument(); var bytes = new ByteArrayOutputStream()) {
      var pages = new Pages(document);
      pages.text(bold(), 18, "Uptime report: tenant " + report.tenant());
      pages.text(regular(), 11, "From " + report.from() + " to " + report.to() + ", grouped by " + report.by());
      pages.gap();
      pages.text(bold(), 12, "All devices");
      table(pages, List.of(report.total()), true);
      pages.gap();
      pages.text(bold(), 12, "By " + report.by());
      table(pages, report.groups(), true);
      for (var group : report.groups()) {
        pages.newPage();
        pages.text(bold(), 14, report.by() + ": " + group.group());
        table(pages, report.devices().stream().filter(d -> d.group().equals(group.group())).toList(), false);
      }
      pages.close();
      document.save(bytes);
      return bytes.toByteArray();
    }
  }

  /** Rows under a header; group rows show the group in the first column, device rows the device. */
  private static void table(Pages pages, List<UptimeReport.Row> rows, boolean groups) throws IOException {
    pages.row(bold(), groups ? groupHeader() : COLUMNS);
    for (var row : rows) {
      var cells = ReportCsv.cells(row);
      var shown = new String[COLUMNS.length];
      shown[0] = groups ? row.group() : row.device();
      for (int i = 1; i < COLUMNS.length; i++) {
        shown[i] = cells.get(i + 1);
      }
      if (pages.full()) {
        pages.newPage();
        pages.row(bold(), groups ? groupHeader() : COLUMNS);
      }
      pages.row(regular(), shown);
    }
  }

  private static String[] groupHeader() {
    var header = COLUMNS.clone();
    header[0] = "group";
    return header;
  }

  private static PDType1Font regular() {
    return new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  }

  private static PDType1Font bold() {
    return new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  }

  /** Writes lines top to bottom, starting a new A4 page when one is full. */
  private static final class Pages implements AutoCloseable {
    private final PDDocument document;
    private PDPageContentStream stream;
    private float y;

    Pages(PDDocument document) throws IOException {
      this.document = document;
      newPage();
    }

    void newPage() throws IOException {
      close();
      var page = new PDPage(PDRectangle.A4);
      document.addPage(page);
      stream = new PDPageContentStream(document, page);
      y = PDRectangle.A4.getHeight() - MARGIN;
    }

    boolean full() {
      return y < MARGIN + LINE;
    }

    void gap() {
      y -= LINE / 2;
    }

    void text(PDType1Font font, float size, String text) throws IOException {
      write(font, size, MARGIN, text);
      y -= size + 6;
    }

    void row(PDType1Font font, String[] cells) throws IOException {
      for (int i = 0; i < cells.length; i++) {
        write(font, 9, X[i], i == 0 ? fit(font, cells[i], X[1] - X[0] - 6) : cells[i]);
      }
      y -= LINE;
    }

    /** {@code text}, cut with '...' where it would run into the next column. */
    private static String fit(PDType1Font font, String text, float width) throws IOException {
      if (font.getStringWidth(text) / 1000 * 9 <= width) {
        return text;
      }
      var cut = text;
      while (!cut.isEmpty() && font.getStringWidth(cut + "...") / 1000 * 9 > width) {
        cut = cut.substring(0, cut.length() - 1);
      }
      return cut + "...";
    }

    private void write(PDType1Font font, float size, float x, String text) throws IOException {
      stream.beginText();
      stream.setFont(font, size);
      stream.newLineAtOffset(x, y);
      stream.showText(text);
      stream.endText();
    }

    @Override
    public void close() throws IOException {
      if (stream != null) {
        stream.close();
        stream = null;
      }
    }
  }
}
