package dev.flotilla.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.digest.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI image manifest that carries a Flotilla artifact: the empty config, a {@link MediaTypes#CONTENT} layer and,
 * when there is one, a {@link MediaTypes#SBOM} layer. Written and read with Jackson, never pasted together.
 */
public record Manifest(String artifactType, List<Descriptor> layers, Map<String, String> annotations) {
  static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);
  private static final ObjectMapper JSON = new ObjectMapper();

  public Manifest {
    layers = List.copyOf(layers);
    annotations = Map.copyOf(annotations);
  }

  /** The manifest's bytes, as pushed; its digest is what an {@link OciReference} pins. */
  public byte[] bytes() {
    var json = new LinkedHashMap<String, Object>();
    json.put("schemaVersion", 2);
    json.put("mediaType", MediaTypes.MANIFEST);
    json.put("artifactType", artifactType);
    json.put("config", descriptor(Descriptor.EMPTY_CONFIG));
    json.put("layers", layers.stream().map(Manifest::descriptor).toList());
    if (!annotations.isEmpty()) {
      json.put("annotations", new java.util.TreeMap<>(annotations));
    }
    try {
      return JSON.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException("write manifest: " + e.getMessage(), e);
    }
  }

  /** The first layer of {@code mediaType}, or null. */
  public Descriptor layer(String mediaType) {
    return layers.stream().filter(l -> l.mediaType().equals(mediaType)).findFirst().orElse(null);
  }

  /**
   * Reads manifest bytes already checked against their digest.
   *
   * @throws IOException when they are not an OCI image manifest with well-formed layer descriptors
   */
  public static Manifest parse(byte[] bytes) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IOException("read manifest: not JSON (" + e.getMessage() + ")", e);
    }
    if (root == null || root.path("schemaVersion").asInt() != 2 || !root.path("layers").isArray()) {
      throw new IOException("read manifest: not an OCI image manifest (schemaVersion 2 with layers)");
    }
    var layers = new ArrayList<Descriptor>();
    for (var layer : root.path("layers")) {
      try {
        layers.add(new Descriptor(layer.path("mediaType").asText(), Digest.parse(layer.path("digest").asText()),
            layer.path("size").asLong(-1)));
      } catch (IllegalArgumentException e) {
        throw new IOException("read manifest: layer " + layers.size() + ": " + e.getMessage(), e);
      }
    }
    var annotations = new LinkedHashMap<String, String>();
    root.path("annotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
    return new Manifest(root.path("artifactType").asText(null), layers, annotations);
  }

  private static Map<String, Object> descriptor(Descriptor d) {
    var json = new LinkedHashMap<String, Object>();
    json.put("mediaType", d.mediaType());
    json.put("digest", d.digest().toString());
    json.put("size", d.size());
    return json;
  }

  /** The manifest's digest. */
  public Digest digest() {
    return Digest.sha256(bytes());
  }
}
