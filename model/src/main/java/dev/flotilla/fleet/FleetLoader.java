package dev.flotilla.fleet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.model.Artifact;
import dev.flotilla.model.ClaimToken;
import dev.flotilla.model.Device;
import dev.flotilla.model.Fleet;
import dev.flotilla.model.Operator;
import dev.flotilla.model.Policy;
import dev.flotilla.model.Rollout;
import dev.flotilla.model.Secret;
import dev.flotilla.model.Tenant;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.schema.DocumentException;
import dev.flotilla.schema.Location;
import dev.flotilla.schema.Nodes;
import dev.flotilla.schema.Problem;
import dev.flotilla.schema.SchemaValidator;
import dev.flotilla.schema.Spelling;
import dev.flotilla.schema.YamlReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a fleet repo into typed resources: YAML → location-aware tree → layout and schema checks → binding.
 *
 * <p>Never stops at the first bad file: every file is read, and every problem comes back with its place. A file
 * with problems is left out of the snapshot, so later checks see only resources that passed their schema.
 * Files are read in parallel. Thread-safe.
 *
 * <p>When the tree gives content ids ({@link FleetTree#contentId}, a Git blob id), the result of each file (its
 * document or its problems) is kept by path and id, and the next load reuses it for a file of the same path and id
 * instead of reading, parsing and checking it again: exact, since that result depends on nothing but the path and
 * the bytes. Only the files of the latest tree are kept. Checks across files are not cached.
 */
public final class FleetLoader {
  private final YamlReader reader = new YamlReader();
  private final SchemaValidator validator = new SchemaValidator();
  private final ObjectMapper binder = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

  /** The snapshot of what loaded, and every problem found on the way, in {@link Problem#ORDER}. */
  public record Result(FleetSnapshot snapshot, List<Problem> problems) {}

  private record Loaded(Document<?> document, List<Problem> problems) {}

  /** One file's result as read at one content id. */
  private record Cached(String contentId, Loaded loaded) {}

  private volatile Map<String, Cached> cache = Map.of();

  public Result load(FleetTree tree) throws IOException {
    var previous = cache;
    var next = new ConcurrentHashMap<String, Cached>();
    var loaded = tree.paths().parallelStream().map(path -> loadCached(tree, path, previous, next)).toList();
    cache = next;
    var problems = new ArrayList<Problem>();
    var documents = new ArrayList<Document<?>>();
    var rejected = new HashSet<String>();
    for (var file : loaded) {
      problems.addAll(file.problems());
      if (file.document() != null) {
        documents.add(file.document());
      }
      file.problems().forEach(p -> rejected.add(p.file()));
    }
    problems.sort(Problem.ORDER);
    return new Result(snapshot(documents, rejected), problems);
  }

  /** The file's result from {@code previous} when its content id is unchanged; else loaded, and kept in next. */
  private Loaded loadCached(FleetTree tree, String path, Map<String, Cached> previous, Map<String, Cached> next) {
    var id = tree.contentId(path).orElse(null);
    var hit = id == null ? null : previous.get(path);
    if (hit != null && hit.contentId().equals(id)) {
      next.put(path, hit);
      return hit.loaded();
    }
    return switch (Layout.place(path)) {
      case Layout.Skip skip -> new Loaded(null, List.of());
      case Layout.Misplaced misplaced ->
          new Loaded(null, List.of(Problem.error(path, Location.UNKNOWN, "", misplaced.message(), misplaced.hint())));
      case Layout.Slot slot -> readSlot(tree, path, slot.layout(), id, next);
    };
  }

  private Loaded readSlot(FleetTree tree, String path, Layout layout, String id, Map<String, Cached> next) {
    byte[] bytes;
    try {
      bytes = tree.read(path, YamlReader.MAX_BYTES);
    } catch (IOException e) {
      // A failed read says nothing about the content: not kept, so the next load reads the file again.
      return new Loaded(null, List.of(Problem.error(path, Location.UNKNOWN, "", "read file: " + e.getMessage(), "")));
    }
    var loaded = read(path, layout, bytes);
    if (id != null) {
      next.put(path, new Cached(id, loaded));
    }
    return loaded;
  }

  private Loaded read(String path, Layout layout, byte[] bytes) {
    JsonNode node;
    try {
      node = reader.read(bytes);
    } catch (DocumentException e) {
      return new Loaded(null, List.of(Problem.error(path, e.location(), "", e.getMessage(), e.hint())));
    }
    var kind = layout.kind();
    var problems = new ArrayList<Problem>();
    if (kind != Kind.TRUST_ROOT && !checkKind(path, kind, node, problems)) {
      return new Loaded(null, problems);
    }
    problems.addAll(validator.validate(path, kind.schemaFile(), node));
    if (!problems.isEmpty()) {
      return new Loaded(null, problems);
    }
    Object resource;
    try {
      resource = binder.treeToValue(node, kind.type());
    } catch (IOException e) {
      return new Loaded(null, List.of(Problem.error(path, Location.START, "", "bind " + kind.displayName() + ": "
          + e.getMessage(), "")));
    }
    LayoutRules.check(path, kind, node, layout, problems);
    var tenant = node.path("metadata").path("tenant").asText(null);
    return new Loaded(problems.isEmpty() ? new Document<>(path, kind, resource, tenant, bytes) : null, problems);
  }

  /** The declared kind must be the one the path holds; otherwise the schema errors would only confuse. */
  private static boolean checkKind(String path, Kind expected, JsonNode node, List<Problem> problems) {
    var declared = node.path("kind");
    if (declared.isMissingNode()) {
      return true;
    }
    var name = declared.asText();
    if (name.equals(expected.displayName())) {
      return true;
    }
    var known = Kind.byDisplayName(name);
    var where = Nodes.location(declared);
    if (known == null) {
      var names = Arrays.stream(Kind.values()).map(Kind::displayName).toList();
      var suggestion = Spelling.closest(name, names);
      problems.add(Problem.error(path, where, "kind", "unknown kind '" + name + "'",
          suggestion != null ? "did you mean '" + suggestion + "'?" : "this path holds a " + expected.displayName()));
    } else {
      problems.add(Problem.error(path, where, "kind", "a " + name + " does not belong here; this path holds a "
          + expected.displayName(), "move it to " + known.layout()));
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static FleetSnapshot snapshot(List<Document<?>> documents, Set<String> rejected) {
    Optional<Document<Fleet>> fleet = Optional.empty();
    Optional<Document<TrustRoot>> trustRoot = Optional.empty();
    var tenants = new ArrayList<Document<Tenant>>();
    var devices = new ArrayList<Document<Device>>();
    var policies = new ArrayList<Document<Policy>>();
    var rollouts = new ArrayList<Document<Rollout>>();
    var claimTokens = new ArrayList<Document<ClaimToken>>();
    var artifacts = new ArrayList<Document<Artifact>>();
    var secrets = new ArrayList<Document<Secret>>();
    var operators = new ArrayList<Document<Operator>>();
    for (var document : documents) {
      switch (document.kind()) {
        case FLEET -> fleet = Optional.of((Document<Fleet>) document);
        case TRUST_ROOT -> trustRoot = Optional.of((Document<TrustRoot>) document);
        case TENANT -> tenants.add((Document<Tenant>) document);
        case DEVICE -> devices.add((Document<Device>) document);
        case POLICY -> policies.add((Document<Policy>) document);
        case ROLLOUT -> rollouts.add((Document<Rollout>) document);
        case CLAIM_TOKEN -> claimTokens.add((Document<ClaimToken>) document);
        case ARTIFACT -> artifacts.add((Document<Artifact>) document);
        case SECRET -> secrets.add((Document<Secret>) document);
        case OPERATOR -> operators.add((Document<Operator>) document);
      }
    }
    return new FleetSnapshot(fleet, trustRoot, tenants, devices, policies, rollouts, claimTokens, artifacts, secrets,
        rejected, operators);
  }
}
