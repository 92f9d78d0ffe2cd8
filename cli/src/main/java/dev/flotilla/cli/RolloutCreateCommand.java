package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.cli.fleet.FleetCheckout;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.fleet.edit.YamlEdit;
import dev.flotilla.output.Output;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla rollout create NAME --tenant T --artifact A@V --wave NAME:COUNT|PERCENT%[:BAKE] …}: writes
 * {@code tenants/T/rollouts/NAME.yaml} and commits it, once the fleet with it passes every check of
 * {@code flotilla validate} that it passes without it (errors name the flag to fix).
 */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Write a Rollout file and commit it.")
final class RolloutCreateCommand implements Callable<Integer> {
  private static final Pattern WAVE = Pattern.compile("^([a-z0-9-]+)(?::(\\d*)(%?))?(?::(\\w+))?$");

  @Spec
  CommandSpec spec;

  @Mixin
  CheckoutOptions checkout;

  @Parameters(paramLabel = "NAME", description = "The rollout's name.")
  String name;

  @Option(names = "--tenant", required = true, description = "The tenant whose devices it updates.")
  String tenant;

  @Option(names = "--artifact", required = true, paramLabel = "NAME@VERSION", description = "The artifact version.")
  String artifact;

  @Option(names = {"-l", "--selector"}, split = ",", paramLabel = "K=V",
      description = "Labels the devices must carry, as K=V,K=V (repeatable); a rollout selects by equal labels only.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--channel", paramLabel = "CHANNEL", description = "A channel the devices must be in (repeatable).")
  List<String> channels = new ArrayList<>();

  @Option(names = "--wave", required = true, paramLabel = "NAME[:COUNT|:PERCENT%][:BAKE]",
      description = "A wave, in order, such as canary:1:1h, early:30%%:4h, rest::1d (repeatable).")
  List<String> waves = new ArrayList<>();

  @Option(names = "--max-failure-ratio", description = "The failed share of a wave that stops it (default 0.3).")
  Double maxFailureRatio;

  @Option(names = "--health-timeout", description = "How long a device has to report healthy (default 10m).")
  String healthTimeout;

  @Option(names = "--on-breach", description = "rollback (default) or pause.")
  String onBreach;

  @Override
  public Integer call() throws IOException {
    labels.keySet().stream().filter(k -> k.endsWith("!")).findFirst().ifPresent(k -> {
      throw new UserException(Flotilla.USAGE, "create rollout: --selector '" + k + "=" + labels.get(k)
          + "': a rollout selects by equal labels only; use K=V");
    });
    var at = artifact.lastIndexOf('@');
    if (at < 1) {
      throw new UserException(Flotilla.USAGE, "create rollout: --artifact '" + artifact
          + "' is not NAME@VERSION; such as kiosk-ui@1.5.0");
    }
    try (var fleet = FleetCheckout.open(checkout.repo)) {
      var path = "tenants/" + tenant + "/rollouts/" + name + ".yaml";
      if (!fleet.index.tenants().containsKey(tenant)) {
        throw new UserException(Flotilla.FAILURE, "create rollout: no tenant '" + tenant + "'");
      }
      if (fleet.index.artifact(artifact.substring(0, at), artifact.substring(at + 1)) == null) {
        throw new UserException(Flotilla.FAILURE, "create rollout: no artifact '" + artifact
            + "'; add artifacts/" + artifact.substring(0, at) + "/" + artifact.substring(at + 1) + ".yaml first");
      }
      if (fleet.index.snapshot().rollouts().stream().anyMatch(r -> r.path().equals(path))) {
        throw new UserException(Flotilla.FAILURE, "create rollout: '" + path + "' exists; pick another name");
      }
      var text = text(artifact.substring(0, at), artifact.substring(at + 1));
      var where = checkout.commit(edit(path, text).onValidBase(), "Add rollout " + tenant + "/" + name + ": " + artifact);
      Output.of(spec).line("wrote " + path + "; " + where);
      return Flotilla.OK;
    }
  }

  private String text(String artifactName, String version) {
    var edit = YamlEdit.of("# yaml-language-server: $schema=../../../.flotilla/schemas/rollout.yaml\n"
        + "apiVersion: flotilla.dev/v1\nkind: Rollout\n")
        .set("metadata.name", name).set("metadata.tenant", tenant)
        .set("spec.artifact.name", artifactName).set("spec.artifact.version", version);
    if (!labels.isEmpty()) {
      edit = edit.set("spec.selector.matchLabels", labels);
    }
    if (!channels.isEmpty()) {
      edit = edit.set("spec.selector.channels", channels);
    }
    if (labels.isEmpty() && channels.isEmpty()) {
      edit = edit.set("spec.selector", Map.of());
    }
    for (var wave : waves) {
      edit = edit.append("spec.waves", wave(wave));
    }
    edit = maxFailureRatio == null ? edit : edit.set("spec.maxFailureRatio", maxFailureRatio);
    edit = healthTimeout == null ? edit : edit.set("spec.healthTimeout", healthTimeout);
    return onBreach == null ? edit.text() : edit.set("spec.onBreach", onBreach).text();
  }

  private static Map<String, Object> wave(String text) {
    var m = WAVE.matcher(text);
    if (!m.matches()) {
      throw new UserException(Flotilla.USAGE, "create rollout: --wave '" + text
          + "' is not NAME[:COUNT|:PERCENT%][:BAKE]; such as canary:1:1h or rest::1d");
    }
    var wave = new LinkedHashMap<String, Object>();
    wave.put("name", m.group(1));
    if (m.group(2) != null && !m.group(2).isEmpty()) {
      wave.put(m.group(3).isEmpty() ? "count" : "percent", Integer.parseInt(m.group(2)));
    }
    if (m.group(4) != null) {
      wave.put("bakeTime", m.group(4));
    }
    return wave;
  }

  /** The rollout file as an edit whose errors name the flag that gave the field. */
  private FleetEdit edit(String path, String text) {
    var edit = new FleetEdit("create rollout", Map.of(path, text))
        .flag("metadata.name", "NAME '" + name + "'").flag("metadata.tenant", "--tenant '" + tenant + "'")
        .flag("spec.artifact", "--artifact '" + artifact + "'").flag("spec.selector.matchLabels", "--selector")
        .flag("spec.waves", "--wave")
        .flag("spec.maxFailureRatio", "--max-failure-ratio " + maxFailureRatio)
        .flag("spec.healthTimeout", "--health-timeout '" + healthTimeout + "'")
        .flag("spec.onBreach", "--on-breach '" + onBreach + "'");
    for (int i = 0; i < channels.size(); i++) {
      edit.flag("spec.selector.channels[" + i + "]", "--channel '" + channels.get(i) + "'");
    }
    for (int i = 0; i < waves.size(); i++) {
      edit.flag("spec.waves[" + i + "]", "--wave '" + waves.get(i) + "'");
    }
    return edit;
  }
}
