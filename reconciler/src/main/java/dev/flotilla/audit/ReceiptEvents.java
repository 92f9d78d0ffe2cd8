package dev.flotilla.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.receipt.VerifiedReceipt;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The {@code detail} of a receipt's history event: the signed envelope itself, as data (so anyone can verify it
 * again from the history with {@code flotilla receipts verify}), and the few fields pages and commands show
 * without opening it. Pure.
 */
public final class ReceiptEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReceiptEvents() {}

  /**
   * {@code {"envelope":{…},"digest":"sha256:…","sequence":…,"outcome":"ApplyFailed","bundleVersion":…,
   * "failing":["unit:pos.service"]}}; {@code failing} lists the resources whose result is FAILED.
   */
  public static ObjectNode detail(VerifiedReceipt verified) {
    var receipt = verified.receipt();
    var detail = JSON.createObjectNode();
    try {
      detail.set("envelope", JSON.readTree(verified.raw()));
    } catch (IOException e) {
      throw new UncheckedIOException("read verified receipt", e); // its envelope was parsed to verify it
    }
    detail.put("digest", verified.digest().toString());
    detail.put("sequence", receipt.getSequence());
    detail.put("outcome", receipt.getOutcome());
    if (receipt.getBundleVersion() != null) {
      detail.put("bundleVersion", receipt.getBundleVersion());
    }
    var failing = detail.putArray("failing");
    if (receipt.getResources() != null) {
      receipt.getResources().stream().filter(r -> r.getResult().equals("FAILED"))
          .forEach(r -> failing.add(r.getKind() + ":" + r.getName()));
    }
    return detail;
  }
}
