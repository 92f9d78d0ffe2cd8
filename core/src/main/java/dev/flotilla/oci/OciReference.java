package dev.flotilla.oci;

import dev.flotilla.digest.Digest;
import java.util.regex.Pattern;

/**
 * Where an artifact lives in an OCI registry, pinned by its manifest's digest:
 * {@code oci://registry.example.com:5000/team/kiosk-ui@sha256:<hex>}. Only digest references exist here: a tag can
 * be moved, a digest cannot, and the agent checks the bytes against it.
 *
 * @param registry host, or host:port
 * @param repository the repository path, lowercase as the Distribution spec allows
 * @param digest the manifest's digest
 */
public record OciReference(String registry, String repository, Digest digest) {
  static final String SCHEME = "oci://";
  private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?");
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

  public OciReference {
    check(registry, repository);
  }

  /** A repository without a digest, the target of a push: {@code oci://registry/repository}. */
  public record Repository(String registry, String name) {
    public Repository {
      check(registry, name);
    }

    /** Reads {@code oci://registry/repository}; the fix is in the message when it is not that. */
    public static Repository parse(String text) {
      if (text == null || !text.startsWith(SCHEME) || text.indexOf('/', SCHEME.length()) < 0 || text.contains("@")) {
        throw new IllegalArgumentException("read OCI repository '" + text + "': write it as"
            + " oci://registry.example.com/team/name");
      }
      var rest = text.substring(SCHEME.length());
      var slash = rest.indexOf('/');
      return new Repository(rest.substring(0, slash), rest.substring(slash + 1));
    }

    public OciReference at(Digest digest) {
      return new OciReference(registry, name, digest);
    }

    @Override
    public String toString() {
      return SCHEME + registry + "/" + name;
    }
  }

  /** Reads {@code oci://registry/repository@sha256:<hex>}; the fix is in the message when it is not that. */
  public static OciReference parse(String text) {
    var at = text == null ? -1 : text.lastIndexOf('@');
    if (at < 0) {
      throw new IllegalArgumentException("read OCI reference '" + text + "': pin it by digest, as"
          + " oci://registry.example.com/team/name@sha256:<64 hex digits> ('flotilla artifact add --push' prints it)");
    }
    var repository = Repository.parse(text.substring(0, at));
    try {
      return repository.at(Digest.parse(text.substring(at + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("read OCI reference '" + text + "': " + e.getMessage(), e);
    }
  }

  /** Whether {@code url} names the oci scheme (and so is read by this package, not by an HTTP client). */
  public static boolean isOci(String url) {
    return url != null && url.startsWith(SCHEME);
  }

  public Repository repositoryRef() {
    return new Repository(registry, repository);
  }

  private static void check(String registry, String repository) {
    if (registry == null || !REGISTRY.matcher(registry).matches()) {
      throw new IllegalArgumentException("read OCI registry '" + registry + "': not a host or host:port");
    }
    if (repository == null || !REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException("read OCI repository name '" + repository + "': use lowercase letters,"
          + " digits, '.', '_', '-' and '/' between path parts");
    }
  }

  @Override
  public String toString() {
    return SCHEME + registry + "/" + repository + "@" + digest;
  }
}
