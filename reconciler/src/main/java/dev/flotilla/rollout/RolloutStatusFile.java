package dev.flotilla.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.model.ArtifactRef;
import dev.flotilla.model.RolloutDecision;
import dev.flotilla.model.RolloutStatus;
import dev.flotilla.model.WaveDevice;
import dev.flotilla.model.WaveStatus;
import dev.flotilla.rollout.RolloutState.Decision;
import dev.flotilla.rollout.RolloutState.Member;
import dev.flotilla.rollout.RolloutState.WaveState;
import dev.flotilla.schema.DocumentException;
import dev.flotilla.schema.SchemaValidator;
import dev.flotilla.schema.YamlReader;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link RolloutState} as the status branch holds it: {@code status/rollouts/<tenant>/<name>.yaml}, in the
 * RolloutStatus schema. Writing is deterministic (the same state gives the same bytes); reading validates against
 * the schema first and throws {@link IOException} naming the file and the first problem.
 */
public final class RolloutStatusFile {
  public static final String DIR = "status/rollouts/";
  private static final YamlReader READER = new YamlReader();
  private static final SchemaValidator VALIDATOR = new SchemaValidator();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).disable(YAMLGenerator.Feature.SPLIT_LINES)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
      .registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private RolloutStatusFile() {}

  /**
   * Every rollout state among {@code files} (path → content of a status branch commit), by {@code tenant/name};
   * files outside {@value #DIR} are ignored. Throws naming the first file that does not read.
   */
  public static Map<String, RolloutState> readAll(Map<String, byte[]> files) throws IOException {
    var states = new TreeMap<String, RolloutState>();
    for (var file : files.entrySet()) {
      if (file.getKey().startsWith(DIR) && file.getKey().endsWith(".yaml")) {
        var state = read(file.getKey(), file.getValue());
        states.put(state.tenant() + "/" + state.rollout(), state);
      }
    }
    return states;
  }

  /** The path of a rollout's status in the status branch. */
  public static String path(String tenant, String rollout) {
    return DIR + tenant + "/" + rollout + ".yaml";
  }

  public static byte[] write(RolloutState state) {
    var file = new RolloutStatus();
    file.setApiVersion("flotilla.dev/v1");
    file.setKind("RolloutStatus");
    file.setRollout(state.rollout());
    file.setTenant(state.tenant());
    var artifact = new ArtifactRef();
    artifact.setName(state.artifact());
    artifact.setVersion(state.version());
    file.setArtifact(artifact);
    file.setPhase(state.phase());
    file.setWave((long) state.wave());
    file.setPausedFrom(state.pausedFrom());
    file.setBreach(state.breach() ? true : null);
    file.setUpdatedAt(time(state.updatedAt()));
    file.setWaves(state.waves().stream().map(RolloutStatusFile::wave).toList());
    file.setDecisions(state.decisions().stream().map(RolloutStatusFile::decision).toList());
    try {
      return YAML.writeValueAsBytes(file);
    } catch (IOException e) {
      throw new IllegalStateException("write rollout status: " + e.getMessage(), e);
    }
  }

  public static RolloutState read(String path, byte[] bytes) throws IOException {
    RolloutStatus file;
    try {
      var tree = READER.read(bytes);
      var problems = VALIDATOR.validate(path, "rollout-status.yaml", tree);
      if (!problems.isEmpty()) {
        throw new IOException("read rollout status: " + problems.getFirst());
      }
      file = YAML.treeToValue(tree, RolloutStatus.class);
    } catch (DocumentException e) {
      throw new IOException("read rollout status '" + path + "': " + e.getMessage(), e);
    }
    var waves = file.getWaves().stream().map(w -> new WaveState(w.getName(), instant(w.getStartedAt()),
        instant(w.getBakeStartedAt()), Boolean.TRUE.equals(w.getBreachAccepted()),
        w.getDevices().stream().map(d -> new Member(d.getName(), instant(d.getUpdatedAt()))).toList())).toList();
    var decisions = file.getDecisions().stream().map(d -> new Decision(instant(d.getAt()), d.getPhase(), d.getWave(),
        new Counts(n(d.getSucceeded()), n(d.getFailed()), n(d.getPending()),
            d.getSize() == null ? n(d.getSucceeded()) + n(d.getFailed()) + n(d.getPending()) : n(d.getSize())),
        d.getReason(), d.getMessage())).toList();
    return new RolloutState(file.getRollout(), file.getTenant(), file.getArtifact().getName(),
        file.getArtifact().getVersion(), file.getPhase(), file.getWave().intValue(), file.getPausedFrom(),
        Boolean.TRUE.equals(file.getBreach()), instant(file.getUpdatedAt()), waves, decisions);
  }

  private static WaveStatus wave(WaveState wave) {
    var out = new WaveStatus();
    out.setName(wave.name());
    out.setStartedAt(time(wave.startedAt()));
    out.setBakeStartedAt(time(wave.bakeStartedAt()));
    out.setBreachAccepted(wave.breachAccepted() ? true : null);
    out.setDevices(wave.devices().stream().map(m -> {
      var device = new WaveDevice();
      device.setName(m.device());
      device.setUpdatedAt(time(m.updatedAt()));
      return device;
    }).toList());
    return out;
  }

  private static RolloutDecision decision(Decision decision) {
    var out = new RolloutDecision();
    out.setAt(time(decision.at()));
    out.setPhase(decision.phase());
    out.setWave(decision.wave());
    out.setSucceeded((long) decision.counts().succeeded());
    out.setFailed((long) decision.counts().failed());
    out.setPending((long) decision.counts().pending());
    out.setSize((long) decision.counts().size());
    out.setFailureRatio(Math.round(decision.counts().failureRatio() * 1000) / 1000.0);
    out.setReason(decision.reason());
    out.setMessage(decision.message());
    return out;
  }

  private static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static int n(Long value) {
    return value == null ? 0 : value.intValue();
  }
}
