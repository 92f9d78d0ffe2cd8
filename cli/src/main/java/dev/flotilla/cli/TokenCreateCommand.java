package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.auth.ClaimTokens;
import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.fleet.edit.YamlEdit;
import dev.flotilla.schema.Durations;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla token create}: a claim token, of which only the sha256 is committed. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Make a claim token, commit its hash to tenants/T/claim-tokens/ID.yaml and print it once.")
final class TokenCreateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CheckoutOptions checkout;

  @Option(names = "--tenant", required = true, paramLabel = "T")
  String tenant;

  @Option(names = "--name", paramLabel = "ID", description = "The token's name (default: TENANT-<random>).")
  String name;

  @Option(names = "--labels", split = ",", paramLabel = "K=V", description = "Labels given to enrolled devices.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--channel", defaultValue = "prod", description = "dev, canary or prod (default: ${DEFAULT-VALUE}).")
  String channel;

  @Option(names = "--ttl", defaultValue = "24h", description = "How long it enrols devices (default: ${DEFAULT-VALUE}).")
  String ttl;

  @Option(names = "--max-uses", defaultValue = "1", paramLabel = "N")
  int maxUses;

  @Option(names = "--auto-approve", description = "Enrol devices at once, without 'flotilla claim approve'.")
  boolean autoApprove;

  @Option(names = "--description", paramLabel = "TEXT")
  String description;

  @Override
  public Integer call() throws IOException {
    var expires = expires();
    var id = name != null ? name : tenant + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    var head = checkout.head();
    if (checkout.read(head, "tenants/" + tenant + "/tenant.yaml").isEmpty()) {
      throw new UserException(Flotilla.FAILURE, "create claim token: no tenant '" + tenant
          + "' (tenants/" + tenant + "/tenant.yaml in HEAD)");
    }
    var path = "tenants/" + tenant + "/claim-tokens/" + id + ".yaml";
    if (checkout.read(head, path).isPresent()) {
      throw new UserException(Flotilla.FAILURE, "create claim token '" + id + "': " + path
          + " exists; pick another --name");
    }
    var fingerprint = TokenCommand.rootFingerprint(checkout, head);
    var token = ClaimTokens.generate(fingerprint);
    var edit = new FleetEdit("create claim token '" + id + "'", Map.of(path, file(id, token, expires, fingerprint)))
        .flag("metadata.name", "--name '" + id + "'").flag("metadata.tenant", "--tenant '" + tenant + "'")
        .flag("spec.maxUses", "--max-uses " + maxUses).flag("spec.labels", "--labels")
        .flag("spec.channel", "--channel '" + channel + "'").flag("spec.description", "--description");
    var where = checkout.commit(edit,
        "token " + id + ": create for tenant " + tenant + " (" + maxUses + " use(s), expires " + expires + ")");
    var out = spec.commandLine().getOut();
    out.println("created claim token '" + id + "' for tenant '" + tenant + "': " + maxUses + " use(s), expires "
        + expires + ", " + (autoApprove ? "auto-approve" : "manual approval") + "; " + where);
    out.println("the token is shown only now; give it to the installer (agent: --token-file):");
    out.println(token);
    return Flotilla.OK;
  }

  /**
   * Now plus {@code --ttl}, or a usage error. Checked here, not left to validation: the schema takes any expiry,
   * and an expired token is only a warning there, but a token that expires as it is made enrols nothing.
   */
  private Instant expires() {
    Duration duration = null;
    try {
      duration = ttl.startsWith("-") ? null : Durations.parse(ttl);
    } catch (IllegalArgumentException e) {
      throw new UserException(Flotilla.USAGE, "create claim token: --ttl '" + ttl
          + "' is not a duration; use a number and a unit, such as 30m, 24h or 7d");
    }
    if (duration == null || duration.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new UserException(Flotilla.USAGE, "create claim token: --ttl '" + ttl
          + "' must be more than zero, or the token expires as it is made; such as 24h");
    }
    try {
      return Instant.now().plus(duration).truncatedTo(ChronoUnit.SECONDS);
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new UserException(Flotilla.USAGE, "create claim token: --ttl '" + ttl
          + "' is too long; such as 365d");
    }
  }

  private String file(String id, String token, Instant expires, String fingerprint) {
    var edit = YamlEdit.of("# yaml-language-server: $schema=../../../.flotilla/schemas/claim-token.yaml\n"
            + "# Written by 'flotilla token create'. Only the token's sha256 is here, never the token.\n"
            + "apiVersion: flotilla.dev/v1\nkind: ClaimToken\n")
        .set("metadata.name", id).set("metadata.tenant", tenant)
        .set("spec.tokenHash", ClaimTokens.hash(token)).set("spec.expiresAt", expires.toString())
        .set("spec.maxUses", maxUses);
    if (!labels.isEmpty()) {
      edit = edit.set("spec.labels", labels);
    }
    edit = edit.set("spec.channel", channel).set("spec.autoApprove", autoApprove)
        .set("spec.rootKeyFingerprint", fingerprint);
    return (description == null ? edit : edit.set("spec.description", description)).text();
  }
}
