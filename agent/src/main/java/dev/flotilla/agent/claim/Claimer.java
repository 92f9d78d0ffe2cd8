package dev.flotilla.agent.claim;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.auth.ClaimTokens;
import dev.flotilla.model.SystemIdentity;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * Claims this device: make (or reuse, after a crash) its key pair in the state dir, send the signed claim with its
 * identity, poll until it is enrolled, then take the trust root — only one whose root keys match the fingerprint
 * the token carries — and write {@link Claimed}. A refused or rejected claim throws with the server's reason.
 */
public final class Claimer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI server;
  private final Path serverCa;
  private final Path stateDir;
  private final IdentityReader identity;
  private final Clock clock;
  private final Duration pollEvery;
  private final Consumer<String> log;

  public Claimer(URI server, Path serverCa, Path stateDir, IdentityReader identity, Clock clock, Duration pollEvery,
      Consumer<String> log) {
    this.server = server;
    this.serverCa = serverCa;
    this.stateDir = stateDir;
    this.identity = identity;
    this.clock = clock;
    this.pollEvery = pollEvery;
    this.log = log;
  }

  /**
   * {@code config} with device, key and trust root filled in from an earlier claim ({@link Claimed} in the state
   * dir), or from claiming now when the config names a token file that exists; otherwise {@code config} as it is.
   */
  public static dev.flotilla.model.AgentConfig completed(dev.flotilla.model.AgentConfig config, Clock clock,
      Consumer<String> log) throws IOException {
    if (config.getDevice() != null && config.getPrivateKey() != null && config.getTrustRoot() != null) {
      return config;
    }
    var stateDir = Path.of(config.getStateDir());
    for (var file : Claimed.removeTempFiles(stateDir)) {
      log.accept("remove temp file left by an interrupted save: '" + file + "'");
    }
    var claimed = Claimed.read(stateDir);
    if (claimed.isEmpty() && config.getClaimTokenFile() != null && Files.exists(Path.of(config.getClaimTokenFile()))) {
      var claimer = new Claimer(config.getServer(), config.getServerCa() == null ? null : Path.of(config.getServerCa()),
          stateDir, new IdentityReader(Path.of(config.getHostRoot()), Path.of(config.getProcRoot())), clock,
          Duration.ofSeconds(1), log);
      try {
        claimed = java.util.Optional.of(claimer.claim(Path.of(config.getClaimTokenFile()), null));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("claim: interrupted", e);
      }
    }
    claimed.ifPresent(c -> {
      config.setDevice(c.device());
      config.setTenant(c.tenant());
      config.setPrivateKey(c.privateKey());
      config.setTrustRoot(c.trustRoot());
    });
    return config;
  }

  public Claimed claim(Path tokenFile, String name) throws IOException, InterruptedException {
    var token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    if (!ClaimTokens.wellFormed(token)) {
      throw new IOException("read claim token '" + tokenFile + "': not a claim token (flt1.<secret>.<root>); "
          + "copy it again from 'flotilla token create'");
    }
    var keys = keyPair();
    var client = new ClaimClient(server, serverCa, keys.getPrivate(), clock);
    var state = client.submit(body(token, keys, identity.read(), name));
    log.accept("claim " + state.id() + ": " + state.state() + ": " + state.message());
    while (!state.state().equals("enrolled")) {
      if (state.state().equals("rejected")) {
        throw new IOException("claim " + state.id() + ": rejected by an operator; ask them why, then claim again");
      }
      // once approved, the first bundle is moments away: ask often
      Thread.sleep(state.state().equals("approved") ? Math.min(100, pollEvery.toMillis()) : pollEvery.toMillis());
      ClaimClient.State next;
      try {
        next = client.poll(state.id());
      } catch (IOException e) {
        log.accept(e.getMessage() + "; asking again"); // the server may be restarting: the claim is in Git
        continue;
      }
      if (!next.state().equals(state.state())) {
        log.accept("claim " + next.id() + ": " + next.state() + ": " + next.message());
      }
      state = next;
    }
    var root = stateDir.resolve("trust-root.json");
    Files.write(root, TrustRoots.toJson(checkedRoot(client, token)));
    var claimed = new Claimed(state.device(), state.tenant(), stateDir.resolve("device.pem").toString(),
        root.toString());
    claimed.write(stateDir);
    return claimed;
  }

  private KeyPair keyPair() throws IOException {
    var file = stateDir.resolve("device.pem");
    var pub = stateDir.resolve("device.pub.pem");
    if (Files.exists(file) && Files.exists(pub)) {
      return new KeyPair(Keys.readPublic(pub), Keys.readPrivate(file));
    }
    var pair = Keys.generate();
    Files.deleteIfExists(pub);
    Keys.writePrivate(file, pair.getPrivate());
    Keys.writePublic(pub, pair.getPublic());
    return pair;
  }

  private static byte[] body(String token, KeyPair keys, SystemIdentity identity, String name) throws IOException {
    var node = JSON.createObjectNode().put("token", token).put("publicKey", Keys.publicPem(keys.getPublic()));
    node.set("identity", JSON.valueToTree(identity));
    if (name != null) {
      node.put("name", name);
    }
    return JSON.writeValueAsBytes(node);
  }

  /** The newest served root reached from the first one whose root keys the token names, by signed rotations. */
  private TrustRoot checkedRoot(ClaimClient client, String token) throws IOException, InterruptedException {
    var chain = new ArrayList<TrustRoot>();
    for (var node : client.roots()) {
      try {
        chain.add(TrustRoots.parse(JSON.writeValueAsBytes(node)));
      } catch (TrustException e) {
        throw new IOException("check trust root: " + e.getMessage(), e);
      }
    }
    var verifier = new RootVerifier(clock);
    for (int i = 0; i < chain.size(); i++) {
      if (ClaimTokens.matches(token, chain.get(i))) {
        try {
          var first = chain.get(i);
          requireSelfSigned(verifier, first);
          return verifier.update(first, chain.subList(i + 1, chain.size()));
        } catch (TrustException e) {
          throw new IOException("check trust root: " + e.getMessage(), e);
        }
      }
    }
    throw new IOException("check trust root: no root the server gave has the root keys this token was made for;"
        + " the server is not this fleet's, or its keys changed: ask for a new token");
  }

  private static void requireSelfSigned(RootVerifier verifier, TrustRoot root) throws TrustException {
    try {
      verifier.trustInitial(root);
    } catch (TrustException e) {
      if (e.refusal() != dev.flotilla.trust.Refusal.ROOT_EXPIRED) {
        throw e; // an old root may have expired; it still has to be signed by its own keys
      }
    }
  }
}
