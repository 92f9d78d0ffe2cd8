package dev.flotilla.cli;

import dev.flotilla.cli.demo.LiveFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The reconciler side of {@code bench/http-load.sh}: the template fleet with one enrolled device, served over TLS on
 * loopback until the process is killed. Writes {@code WORK/ready} (port, server certificate, the device and its
 * private key) once it serves, so the load program, a separate process, can sign the device's requests.
 */
final class HttpLoadServer {
  static final String DEVICE = "kiosk-berlin-01-a";

  private HttpLoadServer() {}

  public static void main(String[] args) throws Exception {
    var template = Path.of(args[0]);
    var work = Path.of(args[1]);
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    try (var fleet = new LiveFleet(template, work)) {
      fleet.enrol(List.of(DEVICE));
      fleet.commit("bench: one enrolled device");
      fleet.startReconciler(Duration.ofHours(1));
      Files.writeString(work.resolve("ready.partial"), String.join("\n",
          "port=" + fleet.server.address().getPort(),
          "certificate=" + fleet.server.serverCertificate(),
          "device=" + DEVICE,
          "key=" + work.resolve("devices").resolve(DEVICE).resolve("device.pem"), ""));
      Files.move(work.resolve("ready.partial"), work.resolve("ready"));
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
