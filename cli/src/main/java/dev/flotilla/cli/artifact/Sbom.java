package dev.flotilla.cli.artifact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;

/**
 * A CycloneDX 1.6 JSON SBOM of one artifact, made with cyclonedx-core-java: the artifact as the metadata component
 * (name, version, sha256) and, for a tarball, each of its files (up to {@link TarListing#MAX_FILES}) as a component
 * of type file with its sha256. Deterministic: no timestamp, and the serial number is derived from the artifact's
 * digest, so the same artifact always gets the same SBOM bytes and digest.
 */
public final class Sbom {
  private Sbom() {}

  public static byte[] of(String name, String version, String hex, boolean tarball, Path file) throws IOException {
    var artifact = new Component();
    artifact.setType(Component.Type.APPLICATION);
    artifact.setName(name);
    artifact.setVersion(version);
    artifact.setBomRef(name + "@" + version);
    artifact.addHash(new Hash(Hash.Algorithm.SHA_256, hex));
    var metadata = new Metadata();
    metadata.setComponent(artifact);
    var bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(("flotilla-artifact:" + hex).getBytes(StandardCharsets.UTF_8)));
    bom.setVersion(1);
    bom.setMetadata(metadata);
    if (tarball) {
      for (var entry : TarListing.list(file)) {
        var component = new Component();
        component.setType(Component.Type.FILE);
        component.setName(entry.path());
        component.setBomRef("file:" + entry.path());
        component.addHash(new Hash(Hash.Algorithm.SHA_256, entry.sha256()));
        bom.addComponent(component);
      }
    }
    try {
      return (BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString() + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (GeneratorException e) {
      throw new IOException("write SBOM: " + e.getMessage(), e);
    }
  }
}
