package dev.flotilla.cli.release;

import dev.flotilla.digest.Digest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;

/**
 * A CycloneDX 1.6 JSON SBOM of an install tree (a package's files as they land on the device): each jar as a library
 * with its Maven package URL (from the jar's own {@code pom.properties}; else name and version from its file name) and
 * sha256, a jlink runtime (a directory with a {@code release} file) as one platform component with its Java version
 * and modules, and every other file as a file component with its sha256. Deterministic: sorted, no timestamp, a serial number derived from name and version.
 */
public final class TreeSbom {
  private static final Pattern JAR_NAME = Pattern.compile("(.+?)-(\\d[^-]*(?:-SNAPSHOT)?)\\.jar");

  private TreeSbom() {}

  public static byte[] of(String name, String version, Path tree) throws IOException {
    var bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(("flotilla-package:" + name + "@" + version)
        .getBytes(StandardCharsets.UTF_8)));
    bom.setVersion(1);
    var metadata = new Metadata();
    metadata.setComponent(component(Component.Type.APPLICATION, name, version, name + "@" + version));
    bom.setMetadata(metadata);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(tree)) {
      // DEBIAN/ is the package's control area (dpkg-deb's input), not installed files
      files = walk.filter(Files::isRegularFile).filter(p -> !tree.relativize(p).startsWith("DEBIAN")).sorted().toList();
    }
    for (var file : files) {
      var relative = tree.relativize(file).toString();
      if (file.getFileName().toString().equals("release") && Files.isDirectory(file.resolveSibling("lib"))
          && Files.exists(file.resolveSibling("bin/java"))) {
        bom.addComponent(runtime(file, relative));
      } else if (relative.endsWith(".jar")) {
        bom.addComponent(library(file, relative));
      } else if (!insideRuntime(tree, file)) {
        var component = component(Component.Type.FILE, "/" + relative, null, "file:/" + relative);
        component.addHash(new Hash(Hash.Algorithm.SHA_256, Digest.sha256(file).hex()));
        bom.addComponent(component);
      }
    }
    try {
      return (BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString() + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (GeneratorException e) {
      throw new IOException("write SBOM of '" + tree + "': " + e.getMessage(), e);
    }
  }

  private static Component library(Path jar, String relative) throws IOException {
    var coordinates = mavenCoordinates(jar);
    // a jar without pom.properties (picocli, JNA): name and version from its file name, no package URL
    var fileName = JAR_NAME.matcher(jar.getFileName().toString());
    var named = fileName.matches();
    var name = coordinates.map(p -> p.getProperty("artifactId"))
        .orElse(named ? fileName.group(1) : jar.getFileName().toString());
    var version = coordinates.map(p -> p.getProperty("version")).orElse(named ? fileName.group(2) : null);
    var component = component(Component.Type.LIBRARY, name, version, "file:/" + relative);
    coordinates.ifPresent(p -> {
      component.setGroup(p.getProperty("groupId"));
      component.setPurl("pkg:maven/" + p.getProperty("groupId") + "/" + name + "@" + version);
    });
    component.addHash(new Hash(Hash.Algorithm.SHA_256, Digest.sha256(jar).hex()));
    return component;
  }

  /** The jar's {@code META-INF/maven/<group>/<artifact>/pom.properties}, when it has exactly one. */
  private static Optional<Properties> mavenCoordinates(Path jar) throws IOException {
    try (var file = new JarFile(jar.toFile())) {
      var entries = file.stream().filter(e -> e.getName().startsWith("META-INF/maven/")
          && e.getName().endsWith("/pom.properties")).toList();
      if (entries.size() != 1) {
        return Optional.empty();
      }
      var properties = new Properties();
      try (var in = file.getInputStream(entries.getFirst())) {
        properties.load(in);
      }
      return Optional.of(properties);
    }
  }

  /** The runtime jlink made: its {@code release} file names the Java version and the modules it holds. */
  private static Component runtime(Path release, String relative) throws IOException {
    var properties = new Properties();
    properties.load(new StringReader(Files.readString(release)));
    var version = unquote(properties.getProperty("JAVA_RUNTIME_VERSION", properties.getProperty("JAVA_VERSION")));
    var component = component(Component.Type.PLATFORM, "java-runtime", version, "file:/" + relative);
    component.setDescription("jlink runtime with modules " + unquote(properties.getProperty("MODULES")));
    component.addHash(new Hash(Hash.Algorithm.SHA_256, Digest.sha256(release.resolveSibling("lib/modules")).hex()));
    return component;
  }

  private static boolean insideRuntime(Path tree, Path file) {
    for (var dir = file.getParent(); dir != null && dir.startsWith(tree); dir = dir.getParent()) {
      if (Files.exists(dir.resolve("release")) && Files.exists(dir.resolve("bin/java"))) {
        return true;
      }
    }
    return false;
  }

  private static Component component(Component.Type type, String name, String version, String ref) {
    var component = new Component();
    component.setType(type);
    component.setName(name);
    component.setVersion(version);
    component.setBomRef(ref);
    return component;
  }

  private static String unquote(String value) {
    return value == null ? "unknown" : value.replaceAll("^\"|\"$", "");
  }
}
