package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.fleet.RepoOption;
import dev.flotilla.cli.receipts.DevicesAtCommit;
import dev.flotilla.cli.receipts.OfflineCheck;
import dev.flotilla.cli.receipts.ReceiptSources;
import dev.flotilla.output.Output;
import dev.flotilla.output.OutputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla receipts verify [--repo DIR] FILE|DIR...}: each receipt against the key its device's file held at
 * the fleet commit the receipt names, from the fleet repo alone (no reconciler, no network). One line per receipt;
 * exit 0 when every one verified, 3 when any was refused, 1 when the repo or a file cannot be read.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Verify signed receipts offline, each with the key its device had at the receipt's fleet commit.",
        "FILE is a signed receipt (*.json) or a history file of JSON Lines (*.jsonl: lines of kind 'receipt', the "
            + "envelope under detail.envelope); DIR stands for its *.json and *.jsonl files.",
        "Exit 3 means at least one receipt was refused (the line says why)."})
final class ReceiptsVerifyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  RepoOption checkout;

  @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Receipts, history files or directories.")
  List<Path> paths;

  @Mixin
  OutputFormat output;

  @Override
  public Integer call() throws IOException {
    var format = output.format();
    for (var path : paths) {
      if (!Files.exists(path)) {
        throw new UserException(Flotilla.FAILURE, "verify receipts: no file or directory '" + path + "'");
      }
    }
    var results = new ArrayList<OfflineCheck.Result>();
    try (var repository = checkout.open()) {
      var check = new OfflineCheck(new DevicesAtCommit(repository));
      for (var source : ReceiptSources.read(paths)) {
        results.add(check.check(source));
      }
    }
    Output.of(spec).value(format, results, out -> results.forEach(r -> out.println(r.ok()
        ? "ok       " + r.source() + ": device " + r.device() + ", sequence " + r.sequence() + ", " + r.outcome()
            + " at " + r.at() + ", commit " + r.commit().substring(0, 12)
        : "refused  " + r.source() + ": " + r.reason() + ": " + r.message())));
    return results.stream().allMatch(OfflineCheck.Result::ok) ? Flotilla.OK : Flotilla.DIFFERENCES;
  }
}
