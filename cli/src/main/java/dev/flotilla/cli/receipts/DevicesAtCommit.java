package dev.flotilla.cli.receipts;

import dev.flotilla.git.CommitTree;
import dev.flotilla.receipt.ReceiptException;
import dev.flotilla.receipt.ReceiptRefusal;
import dev.flotilla.schema.DocumentException;
import dev.flotilla.schema.YamlReader;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * What a device's file said at a fleet commit, read from Git's object database with JGit (no checkout): its key
 * and identity hash. Each commit's tree is listed once. Read-only; not thread-safe.
 */
public final class DevicesAtCommit {
  /** A device as its file at a commit declares it; {@code identityHash} is null before it was claimed. */
  public record DeviceAt(String device, String commit, PublicKey key, String identityHash) {}

  private final Repository repository;
  private final Map<String, CommitTree> trees = new HashMap<>();
  private final YamlReader yaml = new YamlReader();

  public DevicesAtCommit(Repository repository) {
    this.repository = repository;
  }

  /**
   * The device's file at {@code commit}: refused as UNKNOWN_COMMIT when the repository lacks the commit (or none
   * is named), REMOVED_DEVICE when the commit has no file for the device or the file has no usable key.
   */
  public DeviceAt device(String device, String commit) throws ReceiptException, IOException {
    var tree = tree(commit);
    var suffix = "/devices/" + device + ".yaml";
    var path = tree.paths().stream().filter(p -> p.startsWith("tenants/") && p.endsWith(suffix)
        && p.split("/").length == 4).findFirst().orElseThrow(() -> new ReceiptException(
        ReceiptRefusal.REMOVED_DEVICE, "find key of device '" + device + "': no Device file at commit " + commit));
    try {
      var spec = yaml.read(tree.read(path, YamlReader.MAX_BYTES)).path("spec");
      var key = Keys.parsePublicPem(spec.path("publicKey").asText(null));
      var hash = spec.path("identity").path("hash").asText(null);
      return new DeviceAt(device, commit, key, hash);
    } catch (DocumentException | IllegalArgumentException e) {
      throw new ReceiptException(ReceiptRefusal.REMOVED_DEVICE, "find key of device '" + device + "' in '" + path
          + "' at commit " + commit + ": " + e.getMessage());
    }
  }

  private CommitTree tree(String commit) throws ReceiptException, IOException {
    if (commit == null) {
      throw new ReceiptException(ReceiptRefusal.UNKNOWN_COMMIT, "find key: the receipt names no fleet commit"
          + " (made before the device had a bundle)");
    }
    var tree = trees.get(commit);
    if (tree == null) {
      try (var walk = new RevWalk(repository)) {
        tree = CommitTree.of(repository, walk.parseCommit(ObjectId.fromString(commit)));
      } catch (MissingObjectException | IllegalArgumentException e) {
        throw new ReceiptException(ReceiptRefusal.UNKNOWN_COMMIT, "find key: commit " + commit
            + " is not in the fleet repo; fetch it, or pass the repo it came from with --repo");
      }
      trees.put(commit, tree);
    }
    return tree;
  }
}
