import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Generates a complete, valid Flotilla fleet repo (DESIGN.md §3) of any size, for benchmarks.
 *
 * <pre>
 * java bench/GenerateFleet.java OUT_DIR [--devices N] [--policies P] [--rollouts R] [--tenants T] [--seed S]
 * </pre>
 *
 * <p>Defaults: 10000 devices, 200 policies, 20 rollouts, 10 tenants, seed 42. JDK only, single file. Everything
 * but key material (trust root keys and the signatures made with them) is a function of the arguments, so two runs
 * with the same seed give the same tree.
 *
 * <p>What makes the fleet valid beyond the schemas: names equal file stems and tenant folders; device names,
 * identity hashes and claim token hashes are unique fleet-wide; every selector is built from a real device of its
 * tenant, so it matches at least one; every artifact reference resolves; claim tokens have uses to spare; tenant
 * quotas are above the counts; and the policies of one tenant all have distinct priorities, so no two policies of
 * equal priority can disagree on a key (past 1001 policies in one tenant, the extra ones only set keys of their own).
 *
 * <p>If OUT_DIR exists it must be empty or hold a fleet (a fleet.yaml); a fleet there is deleted first.
 */
public final class GenerateFleet {

  // ---------------------------------------------------------------------------------------------------------------
  // Static world: cities, roles, apps, and pools of desired state.

  record City(String name, String region, String timeZone, String street, String postcode, String country) {}

  static final List<City> CITIES = List.of(
      new City("berlin", "eu-central", "Europe/Berlin", "Friedrichstrasse", "10117 Berlin", "Germany"),
      new City("munich", "eu-central", "Europe/Berlin", "Leopoldstrasse", "80802 Munich", "Germany"),
      new City("hamburg", "eu-central", "Europe/Berlin", "Moenckebergstrasse", "20095 Hamburg", "Germany"),
      new City("vienna", "eu-central", "Europe/Vienna", "Mariahilfer Strasse", "1060 Vienna", "Austria"),
      new City("zurich", "eu-central", "Europe/Zurich", "Bahnhofstrasse", "8001 Zurich", "Switzerland"),
      new City("paris", "eu-west", "Europe/Paris", "Rue de Rivoli", "75001 Paris", "France"),
      new City("lyon", "eu-west", "Europe/Paris", "Rue de la Republique", "69002 Lyon", "France"),
      new City("madrid", "eu-west", "Europe/Madrid", "Gran Via", "28013 Madrid", "Spain"),
      new City("lisbon", "eu-west", "Europe/Lisbon", "Rua Augusta", "1100-048 Lisbon", "Portugal"),
      new City("london", "eu-west", "Europe/London", "Oxford Street", "London W1D 1BS", "United Kingdom"),
      new City("dublin", "eu-west", "Europe/Dublin", "Grafton Street", "Dublin D02 VF65", "Ireland"),
      new City("amsterdam", "eu-west", "Europe/Amsterdam", "Kalverstraat", "1012 NX Amsterdam", "Netherlands"),
      new City("stockholm", "eu-north", "Europe/Stockholm", "Drottninggatan", "111 51 Stockholm", "Sweden"),
      new City("oslo", "eu-north", "Europe/Oslo", "Karl Johans gate", "0154 Oslo", "Norway"),
      new City("helsinki", "eu-north", "Europe/Helsinki", "Aleksanterinkatu", "00100 Helsinki", "Finland"),
      new City("newyork", "us-east", "America/New_York", "Broadway", "New York, NY 10012", "USA"),
      new City("boston", "us-east", "America/New_York", "Newbury Street", "Boston, MA 02116", "USA"),
      new City("atlanta", "us-east", "America/New_York", "Peachtree Street", "Atlanta, GA 30303", "USA"),
      new City("chicago", "us-central", "America/Chicago", "Michigan Avenue", "Chicago, IL 60611", "USA"),
      new City("dallas", "us-central", "America/Chicago", "Main Street", "Dallas, TX 75201", "USA"),
      new City("denver", "us-west", "America/Denver", "16th Street", "Denver, CO 80202", "USA"),
      new City("seattle", "us-west", "America/Los_Angeles", "Pine Street", "Seattle, WA 98101", "USA"),
      new City("portland", "us-west", "America/Los_Angeles", "Burnside Street", "Portland, OR 97209", "USA"),
      new City("tokyo", "ap-northeast", "Asia/Tokyo", "Omotesando", "Tokyo 150-0001", "Japan"),
      new City("osaka", "ap-northeast", "Asia/Tokyo", "Midosuji", "Osaka 542-0085", "Japan"),
      new City("singapore", "ap-southeast", "Asia/Singapore", "Orchard Road", "Singapore 238801", "Singapore"),
      new City("sydney", "ap-southeast", "Australia/Sydney", "George Street", "Sydney NSW 2000", "Australia"));

  static final Map<String, List<String>> NTP = Map.of(
      "eu-central", List.of("0.de.pool.ntp.org", "1.de.pool.ntp.org", "ptbtime1.ptb.de"),
      "eu-west", List.of("0.fr.pool.ntp.org", "1.uk.pool.ntp.org", "ntp.ripe.net"),
      "eu-north", List.of("0.se.pool.ntp.org", "1.no.pool.ntp.org", "ntp1.sp.se"),
      "us-east", List.of("time-a-g.nist.gov", "0.us.pool.ntp.org", "1.us.pool.ntp.org"),
      "us-central", List.of("time-c-g.nist.gov", "2.us.pool.ntp.org", "3.us.pool.ntp.org"),
      "us-west", List.of("time-d-g.nist.gov", "0.north-america.pool.ntp.org", "1.us.pool.ntp.org"),
      "ap-northeast", List.of("ntp.nict.jp", "0.jp.pool.ntp.org", "1.jp.pool.ntp.org"),
      "ap-southeast", List.of("0.sg.pool.ntp.org", "0.au.pool.ntp.org", "1.asia.pool.ntp.org"));

  record Role(String name, int weight, String app, String label, List<String> hardware) {}

  static final List<Role> ROLES = List.of(
      new Role("kiosk", 30, "kiosk-ui", "Self-service kiosk", List.of("rpi4", "rpi5", "nuc11")),
      new Role("pos", 30, "pos-terminal", "Point of sale", List.of("nuc11", "nuc12", "elo-i5")),
      new Role("signage", 20, "signage-player", "Digital signage", List.of("rpi4", "rpi5")),
      new Role("gateway", 12, "edge-gateway", "Store gateway", List.of("apu2", "nuc12")),
      new Role("label-printer", 8, "label-service", "Shelf label printer bridge", List.of("rpi4", "cm4")));

  static final Map<String, String> HARDWARE = Map.of(
      "rpi4", "Raspberry Pi 4 Model B Rev 1.5", "rpi5", "Raspberry Pi 5 Model B Rev 1.0",
      "cm4", "Raspberry Pi Compute Module 4 Rev 1.1", "nuc11", "Intel NUC11TNKi5", "nuc12", "Intel NUC12WSKi5",
      "elo-i5", "Elo I-Series 5 Pro", "apu2", "PC Engines apu2e4");

  static final Map<String, String> ARCH = Map.of(
      "rpi4", "arm64", "rpi5", "arm64", "cm4", "arm64", "nuc11", "amd64", "nuc12", "amd64", "elo-i5", "amd64",
      "apu2", "amd64");

  record AppDef(String name, String type, List<String> versions, int port, String description) {}

  /** Artifacts: apps (installed as apps) and two file payloads (ca-bundle, kiosk-splash). */
  static final List<AppDef> ARTIFACTS = List.of(
      new AppDef("kiosk-ui", "tarball", List.of("3.8.2", "3.9.0", "3.9.1", "4.0.0"), 8080, "Kiosk front end"),
      new AppDef("pos-terminal", "tarball", List.of("2024.10-r1", "2024.12-r2", "2025.03-r1"), 8443, "POS client"),
      new AppDef("signage-player", "tarball", List.of("1.14.0", "1.15.2", "1.16.0"), 9000, "Signage player"),
      new AppDef("edge-gateway", "binary", List.of("0.9.7", "1.0.0", "1.0.3"), 7070, "MQTT and HTTP gateway"),
      new AppDef("label-service", "tarball", List.of("2.1.0", "2.2.0"), 8631, "ESL bridge"),
      new AppDef("telemetry-agent", "tarball", List.of("5.2.0", "5.3.1", "5.4.0", "5.4.1"), 9100, "Metrics"),
      new AppDef("ca-bundle", "binary", List.of("2026.05", "2026.11"), 0, "Corporate CA certificates"),
      new AppDef("kiosk-splash", "binary", List.of("1.0", "1.1"), 0, "Splash screen image"));

  static AppDef artifact(String name) {
    return ARTIFACTS.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
  }

  record SysctlDef(String key, List<String> values) {}

  static final List<SysctlDef> SYSCTL = List.of(
      new SysctlDef("net.ipv4.ip_forward", List.of("0", "1")),
      new SysctlDef("net.ipv4.tcp_keepalive_time", List.of("600", "1200", "7200")),
      new SysctlDef("net.ipv4.tcp_keepalive_intvl", List.of("30", "60", "75")),
      new SysctlDef("net.ipv4.tcp_fin_timeout", List.of("15", "30", "60")),
      new SysctlDef("net.core.somaxconn", List.of("1024", "4096")),
      new SysctlDef("net.core.rmem_max", List.of("4194304", "16777216")),
      new SysctlDef("net.core.wmem_max", List.of("4194304", "16777216")),
      new SysctlDef("net.ipv4.conf.all.rp_filter", List.of("1", "2")),
      new SysctlDef("net.ipv4.conf.default.rp_filter", List.of("1", "2")),
      new SysctlDef("net.ipv4.icmp_echo_ignore_broadcasts", List.of("1")),
      new SysctlDef("net.ipv4.conf.all.accept_redirects", List.of("0")),
      new SysctlDef("net.ipv6.conf.all.disable_ipv6", List.of("0", "1")),
      new SysctlDef("vm.swappiness", List.of("1", "10", "30", "60")),
      new SysctlDef("vm.dirty_ratio", List.of("10", "20")),
      new SysctlDef("vm.dirty_background_ratio", List.of("5", "10")),
      new SysctlDef("vm.overcommit_memory", List.of("0", "1")),
      new SysctlDef("kernel.panic", List.of("5", "10", "30")),
      new SysctlDef("kernel.panic_on_oops", List.of("0", "1")),
      new SysctlDef("kernel.sysrq", List.of("0", "176")),
      new SysctlDef("kernel.kptr_restrict", List.of("1", "2")),
      new SysctlDef("kernel.dmesg_restrict", List.of("1")),
      new SysctlDef("kernel.randomize_va_space", List.of("2")),
      new SysctlDef("fs.inotify.max_user_watches", List.of("65536", "524288")),
      new SysctlDef("fs.inotify.max_user_instances", List.of("256", "1024")),
      new SysctlDef("fs.file-max", List.of("262144", "1048576")));

  static final List<String> SERVICES = List.of("chrony.service", "ssh.service", "systemd-timesyncd.service",
      "avahi-daemon.service", "cups.service", "bluetooth.service", "unattended-upgrades.service",
      "node-exporter.service", "flotilla-watchdog.timer", "ModemManager.service", "wpa_supplicant.service",
      "fstrim.timer");

  static final List<String> SHARED_FILES = List.of("/etc/chrony/chrony.conf",
      "/etc/systemd/journald.conf.d/50-flotilla.conf", "/etc/ssh/sshd_config.d/50-hardening.conf", "/etc/motd",
      "/etc/apt/apt.conf.d/20auto-upgrades", "/etc/NetworkManager/conf.d/90-wifi-powersave.conf",
      "/etc/sudoers.d/90-store-ops", "/etc/logrotate.d/flotilla-apps", "/etc/flotilla/site.env",
      "/usr/local/share/ca-certificates/corp-root.crt");

  static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  static final List<String> COMPANIES = List.of("Northwind Retail", "Contoso Grocers", "Fabrikam Fashion",
      "Tailspin Toys", "Wide World Importers", "Adventure Works Outdoor", "Coho Coffee", "Litware Books",
      "Proseware Pharmacy", "Alpine Ski House", "Margie's Travel", "Fourth Coffee", "Lamna Healthcare",
      "Trey Research Labs", "Blue Yonder Airlines", "Woodgrove Bank", "Relecloud Cinemas", "VanArsdel Furniture");

  static final String CLAIM_TOKEN = "stores-2026";
  static final String CLAIM_EXPIRES = "2027-11-22T00:00:00Z";
  static final String ROOT_EXPIRES = "2031-11-22T00:00:00Z";
  static final String FLEET = "bench-fleet";

  // ---------------------------------------------------------------------------------------------------------------
  // Generated world.

  record Device(String tenant, String name, String store, Role role, City city, String channel, String hardware,
      int seq) {}

  static final class Tenant {
    final String name;
    final String display;
    final List<City> cities = new ArrayList<>();
    final List<String> stores = new ArrayList<>();
    final Map<String, City> storeCity = new LinkedHashMap<>();
    final List<Device> devices = new ArrayList<>();
    final Set<Integer> usedPriorities = new HashSet<>();
    final Set<String> policyNames = new HashSet<>();
    final Set<String> rolloutNames = new HashSet<>();
    int deviceCount;
    int policyCount;
    int rolloutCount;

    Tenant(String name, String display) {
      this.name = name;
      this.display = display;
    }
  }

  record Out(Path path, String text) {}

  final Random rnd;
  final long seed;
  final Path out;
  final int nDevices;
  final int nPolicies;
  final int nRollouts;
  final int nTenants;
  final List<Tenant> tenants = new ArrayList<>();
  final List<Out> files = new ArrayList<>();
  final Set<String> identityHashes = new HashSet<>();
  String rootKeyId;
  PrivateKey artifactKey;
  String artifactKeyId;

  GenerateFleet(Path out, int devices, int policies, int rollouts, int tenants, long seed) {
    this.out = out;
    this.nDevices = devices;
    this.nPolicies = policies;
    this.nRollouts = rollouts;
    this.nTenants = tenants;
    this.seed = seed;
    this.rnd = new Random(seed);
  }

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    Path outDir = null;
    int devices = 10000;
    int policies = 200;
    int rollouts = 20;
    int tenants = 10;
    long seed = 42;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      if (arg.startsWith("--") && arg.contains("=")) {
        value = arg.substring(arg.indexOf('=') + 1);
        arg = arg.substring(0, arg.indexOf('='));
      }
      switch (arg) {
        case "-h", "--help" -> {
          usage(null);
          return;
        }
        case "--devices", "--policies", "--rollouts", "--tenants", "--seed" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              usage(arg + " needs a value");
            }
            value = args[++i];
          }
          long n;
          try {
            n = Long.parseLong(value);
          } catch (NumberFormatException e) {
            usage(arg + ": not a number: " + value);
            return;
          }
          switch (arg) {
            case "--devices" -> devices = positive(arg, n, 1);
            case "--policies" -> policies = positive(arg, n, 0);
            case "--rollouts" -> rollouts = positive(arg, n, 0);
            case "--tenants" -> tenants = positive(arg, n, 1);
            default -> seed = n;
          }
        }
        default -> {
          if (arg.startsWith("-") || outDir != null) {
            usage("unexpected argument: " + args[i]);
          }
          outDir = Path.of(arg);
        }
      }
    }
    if (outDir == null) {
      usage("OUT_DIR is required");
    }
    var generator = new GenerateFleet(outDir, devices, policies, rollouts, tenants, seed);
    generator.generate();
    long rendered = System.nanoTime();
    generator.write();
    long done = System.nanoTime();
    System.out.printf(Locale.ROOT, "wrote %d files to %s (%d devices, %d policies, %d rollouts, %d tenants, "
            + "%d artifacts, seed %d) in %.2fs (render %.2fs, write %.2fs)%n", generator.files.size(), outDir,
        devices, policies, rollouts, tenants, ARTIFACTS.stream().mapToInt(a -> a.versions().size()).sum(), seed,
        (done - start) / 1e9, (rendered - start) / 1e9, (done - rendered) / 1e9);
  }

  static int positive(String arg, long n, int min) {
    if (n < min || n > 10_000_000) {
      usage(arg + " must be between " + min + " and 10000000");
    }
    return (int) n;
  }

  static void usage(String error) {
    var text = "usage: java bench/GenerateFleet.java OUT_DIR [--devices N] [--policies P] [--rollouts R] "
        + "[--tenants T] [--seed S]\n  defaults: 10000 devices, 200 policies, 20 rollouts, 10 tenants, seed 42";
    if (error == null) {
      System.out.println(text);
      return;
    }
    System.err.println("GenerateFleet: " + error);
    System.err.println(text);
    System.exit(2);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Generation.

  void generate() throws Exception {
    makeTenants();
    makeTrustRootAndFleet();
    makeArtifacts();
    for (var tenant : tenants) {
      makeTenantFile(tenant);
      makeDevices(tenant);
      makeClaimToken(tenant);
    }
    var active = tenants.stream().filter(t -> !t.devices.isEmpty()).toList();
    apportion(active, nPolicies, true, (t, n) -> t.policyCount = n);
    apportion(active, nRollouts, false, (t, n) -> t.rolloutCount = n);
    for (var tenant : active) {
      for (int i = 0; i < tenant.policyCount; i++) {
        makePolicy(tenant, i);
      }
      for (int i = 0; i < tenant.rolloutCount; i++) {
        makeRollout(tenant, i);
      }
    }
  }

  void makeTenants() {
    int width = Math.max(2, String.valueOf(nTenants).length());
    double[] weights = new double[nTenants];
    for (int i = 0; i < nTenants; i++) {
      String name = "t" + pad(i + 1, width);
      String company = COMPANIES.get(i % COMPANIES.size());
      String display = i < COMPANIES.size() ? company : company + " " + (i / COMPANIES.size() + 1);
      var tenant = new Tenant(name, display);
      tenants.add(tenant);
      weights[i] = 0.4 + rnd.nextDouble() * 1.6;
      int nCities = 2 + rnd.nextInt(4);
      var cities = new ArrayList<>(CITIES);
      shuffle(cities);
      tenant.cities.addAll(cities.subList(0, nCities));
    }
    int[] counts = largestRemainder(weights, nDevices, nDevices >= nTenants ? 1 : 0);
    for (int i = 0; i < nTenants; i++) {
      tenants.get(i).deviceCount = counts[i];
    }
  }

  void makeTrustRootAndFleet() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair root = generator.generateKeyPair();
    KeyPair bundle = generator.generateKeyPair();
    KeyPair artifacts = generator.generateKeyPair();
    rootKeyId = keyId(root);
    artifactKeyId = keyId(artifacts);
    artifactKey = artifacts.getPrivate();
    var keys = new ArrayList<Object>();
    for (var pair : List.of(root, bundle, artifacts)) {
      keys.add(map("id", keyId(pair), "scheme", "ecdsa-p256-sha256", "publicKey", pem(pair)));
    }
    var roles = List.<Object>of(
        map("role", "root", "keyIds", List.of(rootKeyId), "threshold", 1),
        map("role", "bundle-signer", "keyIds", List.of(keyId(bundle)), "threshold", 1),
        map("role", "artifact-signer", "keyIds", List.of(artifactKeyId), "threshold", 1));
    var signed = map("apiVersion", "flotilla.dev/v1", "kind", "TrustRoot", "fleet", FLEET, "version", 1,
        "expires", ROOT_EXPIRES, "keys", keys, "roles", roles);
    var canonical = new StringBuilder();
    Json.write(canonical, signed, -1, 0);
    String sig = sign(root.getPrivate(), canonical.toString().getBytes(StandardCharsets.UTF_8));
    var envelope = map("signed", signed, "signatures", List.of(map("keyId", rootKeyId, "sig", sig)));
    var json = new StringBuilder();
    Json.write(json, envelope, 2, 0);
    json.append('\n');
    add("trust/root.json", json.toString());

    var fleet = map(
        "apiVersion", "flotilla.dev/v1",
        "kind", "Fleet",
        "metadata", map("name", FLEET, "labels", map("environment", "benchmark"),
            "annotations", map("flotilla.dev/generated-by", "bench/GenerateFleet.java",
                "flotilla.dev/generator-args", String.format(Locale.ROOT,
                    "--devices %d --policies %d --rollouts %d --tenants %d --seed %d",
                    nDevices, nPolicies, nRollouts, nTenants, seed))),
        "spec", map(
            "displayName", "Benchmark fleet (" + nDevices + " devices)",
            "trustRoot", "trust/root.json",
            "defaults", map("pollInterval", "60s", "bundleTTL", "7d", "driftMode", "enforce",
                "maxFailureRatio", 0.3)));
    add("fleet.yaml", Yaml.document("fleet", fleet));
  }

  void makeArtifacts() throws Exception {
    for (var app : ARTIFACTS) {
      for (int v = 0; v < app.versions().size(); v++) {
        String version = app.versions().get(v);
        String digest = "sha256:" + sha256Hex("artifact:" + app.name() + "@" + version + ":" + seed);
        long size = switch (app.name()) {
          case "ca-bundle" -> 180_000 + rnd.nextInt(40_000);
          case "kiosk-splash" -> 400_000 + rnd.nextInt(300_000);
          case "edge-gateway" -> 18_000_000 + rnd.nextInt(4_000_000);
          default -> 8_000_000 + rnd.nextInt(90_000_000);
        };
        String ext = app.type().equals("tarball") ? ".tar.gz" : "";
        String sbomDigest = "sha256:" + sha256Hex("sbom:" + app.name() + "@" + version + ":" + seed);
        // the artifact signature covers PAE(type, canonical statement), as dev.flotilla.artifact.ArtifactStatement
        String statement = "{\"apiVersion\":\"flotilla.dev/v1\",\"digest\":\"" + digest
            + "\",\"kind\":\"ArtifactStatement\",\"name\":\"" + app.name() + "\",\"sbomDigest\":\"" + sbomDigest
            + "\",\"size\":" + size + ",\"type\":\"" + app.type() + "\",\"version\":\"" + version + "\"}";
        String payloadType = "application/vnd.flotilla.artifact.v1+json";
        String pae = "DSSEv1 " + payloadType.length() + " " + payloadType + " " + statement.length() + " " + statement;
        var spec = map(
            "version", version,
            "type", app.type(),
            "digest", digest,
            "size", size,
            "urls", List.of(
                "https://artifacts.flotilla.example.com/" + app.name() + "/" + version + "/" + app.name() + ext,
                "https://mirror-eu.flotilla.example.com/" + app.name() + "/" + version + "/" + app.name() + ext,
                "oci://registry.flotilla.example.com/artifacts/" + app.name() + "@" + digest),
            "signature", map("keyId", artifactKeyId,
                "value", sign(artifactKey, pae.getBytes(StandardCharsets.UTF_8))),
            "sbom", map("digest", sbomDigest,
                "url", "https://artifacts.flotilla.example.com/" + app.name() + "/" + version + "/sbom.cdx.json"),
            "provenance", map(
                "sourceRepository", "https://git.example.com/store-platform/" + app.name(),
                "sourceCommit", sha256Hex("commit:" + app.name() + version).substring(0, 40),
                "builder", "ci.example.com/pipelines/" + app.name() + "/" + (1000 + rnd.nextInt(9000)),
                "builtAt", String.format(Locale.ROOT, "2026-%02d-%02dT%02d:%02d:%02dZ", 1 + v * 2 + rnd.nextInt(2),
                    1 + rnd.nextInt(28), rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60))));
        var doc = map(
            "apiVersion", "flotilla.dev/v1",
            "kind", "Artifact",
            "metadata", map("name", app.name(), "labels", map("component", app.name()),
                "annotations", map("flotilla.dev/description", app.description())),
            "spec", spec);
        add("artifacts/" + app.name() + "/" + version + ".yaml", Yaml.document("artifact", doc));
      }
    }
  }

  void makeTenantFile(Tenant tenant) {
    String[] plans = {"starter", "business", "enterprise"};
    String plan = tenant.deviceCount > 1500 ? "enterprise" : plans[1 + rnd.nextInt(2)];
    City home = tenant.cities.get(0);
    var doc = map(
        "apiVersion", "flotilla.dev/v1",
        "kind", "Tenant",
        "metadata", map("name", tenant.name, "labels", map("plan", plan, "home-region", home.region())),
        "spec", map(
            "displayName", tenant.display,
            "plan", plan,
            "contact", "store-it@" + tenant.name + ".example.com",
            "quotas", map(
                "maxDevices", roundUp(tenant.deviceCount * 3L / 2 + 10, 100),
                "maxPolicies", roundUp(Math.max(nPolicies, 50), 50),
                "maxRollouts", roundUp(Math.max(nRollouts, 20), 10)),
            "settings", map("timeZone", home.timeZone(), "pollInterval", rnd.nextBoolean() ? "60s" : "2m",
                "defaultChannel", "prod")));
    add("tenants/" + tenant.name + "/tenant.yaml", Yaml.document("tenant", doc));
  }

  static long roundUp(long n, long step) {
    return (n + step - 1) / step * step;
  }

  int deviceSeq = 0;
  final Map<String, Integer> storeCounters = new TreeMap<>();

  void makeDevices(Tenant tenant) {
    int nStores = Math.max(1, Math.round(tenant.deviceCount / 15f));
    var perCity = new TreeMap<String, Integer>();
    for (int s = 0; s < nStores; s++) {
      City city = tenant.cities.get(s % tenant.cities.size());
      int n = perCity.merge(city.name(), 1, Integer::sum);
      String store = city.name() + "-" + pad(n, 2);
      tenant.stores.add(store);
      tenant.storeCity.put(store, city);
    }
    int width = Math.max(5, String.valueOf(nDevices).length());
    int maxUses = claimTokenUses(tenant);
    for (int d = 0; d < tenant.deviceCount; d++) {
      int seq = ++deviceSeq;
      String store = tenant.stores.get(rnd.nextInt(tenant.stores.size()));
      City city = tenant.storeCity.get(store);
      Role role = pickRole();
      int c = rnd.nextInt(100);
      String channel = c < 5 ? "dev" : c < 15 ? "canary" : "prod";
      String hw = role.hardware().get(rnd.nextInt(role.hardware().size()));
      String name = role.name() + "-" + city.name() + "-" + pad(seq, width);
      var device = new Device(tenant.name, name, store, role, city, channel, hw, seq);
      tenant.devices.add(device);

      String machineId;
      String hash;
      do {
        machineId = hex128();
        hash = "sha256:" + sha256Hex("linux:" + machineId);
      } while (!identityHashes.add(hash));

      var labels = map("store", store, "role", role.name(), "region", city.region(), "hardware", hw);
      var annotations = map(
          "flotilla.dev/serial", "SN-" + hw.toUpperCase(Locale.ROOT) + "-" + String.format(Locale.ROOT, "%08X",
              rnd.nextInt(Integer.MAX_VALUE)),
          "flotilla.dev/hardware", HARDWARE.get(hw) + " (" + ARCH.get(hw) + ")",
          "flotilla.dev/machine-id", machineId,
          "flotilla.dev/installed", role.label() + ", installed by field-ops ticket OPS-" + (10000 + rnd.nextInt(
              89999)) + " at " + store);
      var identity = map("hash", hash, "claimedAt", String.format(Locale.ROOT, "2026-%02d-%02dT%02d:%02d:%02dZ",
          1 + rnd.nextInt(10), 1 + rnd.nextInt(28), 6 + rnd.nextInt(12), rnd.nextInt(60), rnd.nextInt(60)));
      if (tenant.deviceCount <= maxUses) {
        identity.put("claimToken", CLAIM_TOKEN);
      }
      var spec = map(
          "channel", channel,
          "location", map("site", store,
              "address", (1 + rnd.nextInt(180)) + " " + city.street() + ", " + city.postcode() + ", "
                  + city.country() + ", " + (rnd.nextBoolean() ? "ground floor" : "floor " + (1 + rnd.nextInt(3)))
                  + ", " + role.label().toLowerCase(Locale.ROOT) + " " + (1 + rnd.nextInt(6)),
              "timeZone", city.timeZone()),
          "identity", identity);
      int extra = rnd.nextInt(100);
      if (extra < 1) {
        spec.put("cordoned", true);
      }
      if (extra >= 1 && extra < 3) {
        AppDef app = artifact(role.app());
        spec.put("pins", List.of(map("artifact", app.name(), "version", app.versions().get(0),
            "reason", "Rolled back after crash loop, see incident INC-" + (2000 + rnd.nextInt(8000)))));
      }
      if (extra >= 3 && extra < 6) {
        spec.put("state", map("sysctl", map("vm.swappiness", "5", "kernel.panic", "10"),
            "files", List.of(map("path", "/etc/flotilla/device-note.txt",
                "content", "Device " + name + " has a replaced SSD; keep swap low.\n", "mode", "0644"))));
      }
      var doc = map(
          "apiVersion", "flotilla.dev/v1",
          "kind", "Device",
          "metadata", map("name", name, "tenant", tenant.name, "labels", labels, "annotations", annotations),
          "spec", spec);
      add("tenants/" + tenant.name + "/devices/" + name + ".yaml", Yaml.document("device", doc));
    }
  }

  Role pickRole() {
    int total = ROLES.stream().mapToInt(Role::weight).sum();
    int r = rnd.nextInt(total);
    for (var role : ROLES) {
      r -= role.weight();
      if (r < 0) {
        return role;
      }
    }
    throw new AssertionError();
  }

  static int claimTokenUses(Tenant tenant) {
    return (int) Math.min(100000, roundUp(tenant.deviceCount * 6L / 5 + 50, 100));
  }

  void makeClaimToken(Tenant tenant) {
    String token = "flt_" + hex128() + hex128();
    var doc = map(
        "apiVersion", "flotilla.dev/v1",
        "kind", "ClaimToken",
        "metadata", map("name", CLAIM_TOKEN, "tenant", tenant.name),
        "spec", map(
            "tokenHash", "sha256:" + sha256Hex(token),
            "expiresAt", CLAIM_EXPIRES,
            "maxUses", claimTokenUses(tenant),
            "labels", map("provisioned-by", "field-ops"),
            "channel", "prod",
            "autoApprove", false,
            "revoked", false,
            "rootKeyFingerprint", "sha256:" + rootKeyId,
            "description", "Store roll-out 2026 for " + tenant.display + "; hand out with the install kit."));
    add("tenants/" + tenant.name + "/claim-tokens/" + CLAIM_TOKEN + ".yaml", Yaml.document("claim-token", doc));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Policies.

  enum Template {
    BASELINE(0, 99), REGION(100, 199), ROLE(200, 399), EXPRESSION(400, 499), ROLE_REGION(500, 699),
    STORE(700, 849), HOTFIX(850, 929), CANARY(930, 1000);

    final int lo;
    final int hi;

    Template(int lo, int hi) {
      this.lo = lo;
      this.hi = hi;
    }
  }

  void makePolicy(Tenant tenant, int index) {
    Template template;
    if (index == 0) {
      template = Template.BASELINE;
    } else {
      int r = rnd.nextInt(100);
      template = r < 12 ? Template.REGION : r < 35 ? Template.ROLE : r < 47 ? Template.EXPRESSION
          : r < 62 ? Template.ROLE_REGION : r < 80 ? Template.STORE : r < 90 ? Template.HOTFIX : Template.CANARY;
    }
    Device anchor = tenant.devices.get(rnd.nextInt(tenant.devices.size()));
    if (template == Template.CANARY) {
      var early = tenant.devices.stream().filter(d -> !d.channel().equals("prod")).toList();
      if (early.isEmpty()) {
        template = Template.ROLE;
      } else {
        anchor = early.get(rnd.nextInt(early.size()));
      }
    }
    Integer priority = priority(tenant, template);
    boolean exclusive = priority == null;   // more than 1001 policies in this tenant: keys of its own only
    if (exclusive) {
      priority = template.lo;
    }

    var selector = new LinkedHashMap<String, Object>();
    String what;
    switch (template) {
      case BASELINE -> {
        selector.put("matchExpressions", List.of(map("key", "role", "operator", "Exists")));
        what = "baseline";
      }
      case REGION -> {
        selector.put("matchLabels", map("region", anchor.city().region()));
        what = "region-" + anchor.city().region();
      }
      case ROLE -> {
        selector.put("matchLabels", map("role", anchor.role().name()));
        what = "role-" + anchor.role().name();
      }
      case EXPRESSION -> {
        var roles = new TreeSet<String>();
        roles.add(anchor.role().name());
        roles.add(ROLES.get(rnd.nextInt(ROLES.size())).name());
        var exprs = new ArrayList<Object>();
        exprs.add(map("key", "role", "operator", "In", "values", new ArrayList<>(roles)));
        var otherRegions = new TreeSet<String>();
        for (var c : CITIES) {
          if (!c.region().equals(anchor.city().region()) && rnd.nextInt(3) == 0) {
            otherRegions.add(c.region());
          }
        }
        if (!otherRegions.isEmpty()) {
          exprs.add(map("key", "region", "operator", "NotIn", "values", new ArrayList<>(otherRegions)));
        }
        exprs.add(map("key", "hardware", "operator", "Exists"));
        selector.put("matchExpressions", exprs);
        what = "fleet-" + String.join("-", roles);
      }
      case ROLE_REGION -> {
        selector.put("matchLabels", map("role", anchor.role().name(), "region", anchor.city().region()));
        what = anchor.role().name() + "-" + anchor.city().region();
      }
      case STORE -> {
        selector.put("matchLabels", map("store", anchor.store()));
        if (rnd.nextBoolean()) {
          selector.put("matchExpressions", List.of(map("key", "role", "operator", "In",
              "values", List.of(anchor.role().name()))));
        }
        what = "store-" + anchor.store();
      }
      case HOTFIX -> {
        var names = new TreeSet<String>();
        names.add(anchor.name());
        for (int i = 0; i < 2; i++) {
          names.add(tenant.devices.get(rnd.nextInt(tenant.devices.size())).name());
        }
        selector.put("devices", new ArrayList<>(names));
        what = "hotfix-" + anchor.role().name();
      }
      default -> {
        selector.put("matchLabels", map("role", anchor.role().name()));
        selector.put("channels", anchor.channel().equals("dev") ? List.of("dev") : List.of("dev", "canary"));
        what = "canary-" + anchor.role().name();
      }
    }
    String name = uniqueName(tenant.policyNames, what, index);

    var state = exclusive ? exclusiveState(tenant, name) : state(tenant, template, anchor, name);
    var spec = new LinkedHashMap<String, Object>();
    spec.put("selector", selector);
    spec.put("priority", priority);
    spec.put("state", state);
    spec.put("drift", map("mode", rnd.nextInt(5) == 0 ? "report" : "enforce",
        "sysctl", "enforce", "sysctlPollInterval", rnd.nextBoolean() ? "30s" : "5m", "debounce", "2s"));
    @SuppressWarnings("unchecked")
    var services = (List<Map<String, Object>>) state.getOrDefault("services", List.of());
    if (!services.isEmpty() && rnd.nextBoolean()) {
      String unit = (String) services.get(0).get("unit");
      spec.put("healthChecks", List.of(map("name", "unit-" + unit.toLowerCase(Locale.ROOT)
              .replaceAll("[^a-z0-9]+", "-").replaceAll("-+$", ""), "unit", unit,
          "check", map("minReadySeconds", 10 + rnd.nextInt(50), "timeout", "2m",
              "command", map("argv", List.of("/usr/bin/systemctl", "is-active", "--quiet", unit))))));
    }
    if (template != Template.BASELINE && rnd.nextInt(3) > 0) {
      var days = new ArrayList<String>();
      for (String day : DAYS) {
        if (rnd.nextInt(3) > 0) {
          days.add(day);
        }
      }
      if (days.isEmpty()) {
        days.add("tue");
      }
      int start = 1 + rnd.nextInt(4);
      spec.put("maintenanceWindows", List.of(map("days", days, "start", pad(start, 2) + ":00",
          "end", pad(start + 2 + rnd.nextInt(3), 2) + ":30", "timeZone", anchor.city().timeZone())));
    }
    if (!services.isEmpty()) {
      spec.put("watchers", map("journald", map("lines", 20 + 10 * rnd.nextInt(5))));
    }
    var doc = map(
        "apiVersion", "flotilla.dev/v1",
        "kind", "Policy",
        "metadata", map("name", name, "tenant", tenant.name, "labels", map("owner", owner(template)),
            "annotations", map("flotilla.dev/description", describe(template, tenant, anchor))),
        "spec", spec);
    add("tenants/" + tenant.name + "/policies/" + name + ".yaml", Yaml.document("policy", doc));
  }

  static String owner(Template template) {
    return switch (template) {
      case BASELINE, REGION, EXPRESSION -> "platform";
      case ROLE, ROLE_REGION, CANARY -> "store-apps";
      default -> "store-ops";
    };
  }

  static String describe(Template template, Tenant tenant, Device anchor) {
    return switch (template) {
      case BASELINE -> "Baseline hardening, time sync and telemetry for every device of " + tenant.display + ".";
      case REGION -> "Regional settings (NTP, maintenance hours) for " + anchor.city().region() + ".";
      case ROLE -> "Configuration of every " + anchor.role().label().toLowerCase(Locale.ROOT) + " device.";
      case EXPRESSION -> "Shared settings for several roles, outside selected regions.";
      case ROLE_REGION -> "Regional overrides for " + anchor.role().name() + " devices in "
          + anchor.city().region() + ".";
      case STORE -> "Store-specific settings for " + anchor.store() + ".";
      case HOTFIX -> "Temporary fix for a few devices; remove after the next release.";
      case CANARY -> "Early versions for dev and canary " + anchor.role().name() + " devices.";
    };
  }

  /** A priority inside the template's band that no other policy of the tenant has, or null if all are taken. */
  Integer priority(Tenant tenant, Template template) {
    if (tenant.usedPriorities.size() >= 1001) {
      return null;
    }
    int p = template.lo + rnd.nextInt(template.hi - template.lo + 1);
    while (tenant.usedPriorities.contains(p)) {
      p = (p + 1) % 1001;
    }
    tenant.usedPriorities.add(p);
    return p;
  }

  static String uniqueName(Set<String> used, String what, int index) {
    String base = what.length() > 50 ? what.substring(0, 50).replaceAll("-+$", "") : what;
    String name = base + "-" + pad(index + 1, 3);
    int n = 2;
    while (!used.add(name)) {
      name = base + "-" + pad(index + 1, 3) + "-" + n++;
    }
    return name;
  }

  Map<String, Object> state(Tenant tenant, Template template, Device anchor, String policy) {
    var state = new LinkedHashMap<String, Object>();
    Role role = anchor.role();
    City city = anchor.city();

    // sysctl: a handful of keys from the shared pool; values may differ between policies (priorities differ).
    int nSysctl = template == Template.BASELINE ? 10 : 2 + rnd.nextInt(6);
    var sysctl = new TreeMap<String, Object>();
    for (var def : pick(SYSCTL, nSysctl)) {
      sysctl.put(def.key(), def.values().get(rnd.nextInt(def.values().size())));
    }
    state.put("sysctl", sysctl);

    // files: some shared paths (merged by priority) and one of the policy's own.
    var files = new ArrayList<Object>();
    int nShared = template == Template.BASELINE ? 5 : 1 + rnd.nextInt(3);
    for (String path : pick(SHARED_FILES, nShared)) {
      files.add(file(path, tenant, anchor, policy));
    }
    if (template == Template.ROLE || template == Template.ROLE_REGION || template == Template.CANARY) {
      files.add(appConfig(role, city, policy));
      if (role.name().equals("kiosk") || role.name().equals("signage")) {
        AppDef splash = artifact("kiosk-splash");
        String v = splash.versions().get(rnd.nextInt(splash.versions().size()));
        files.add(map("path", "/opt/" + tenant.name + "/splash.png",
            "artifact", map("name", splash.name(), "version", v), "mode", "0644"));
      }
    }
    String own = "# " + policy + " (" + tenant.display + ")\n"
        + "# Managed by Flotilla; local changes are reverted.\n"
        + "POLICY=" + policy + "\n"
        + "REGION=" + city.region() + "\n"
        + "TIMEZONE=" + city.timeZone() + "\n"
        + "SUPPORT_URL=https://support.example.com/" + tenant.name + "/" + role.name() + "\n"
        + "FEATURE_FLAGS=offline-mode,fast-boot" + (rnd.nextBoolean() ? ",new-receipts" : "") + "\n";
    files.add(fileSpec("/etc/flotilla/policies/" + policy + ".env", own, "0640", "root", "adm"));
    state.put("files", files);

    // services.
    int nServices = template == Template.BASELINE ? 4 : rnd.nextInt(4);
    var services = new ArrayList<Object>();
    for (String unit : pick(SERVICES, nServices)) {
      services.add(service(unit));
    }
    if (!services.isEmpty()) {
      state.put("services", services);
    }

    // apps.
    var apps = new ArrayList<Object>();
    if (template == Template.BASELINE) {
      apps.add(app("telemetry-agent", 1, city, tenant));
    } else if (template == Template.ROLE || template == Template.ROLE_REGION) {
      apps.add(app(role.app(), rnd.nextBoolean() ? 1 : 2, city, tenant));
    } else if (template == Template.CANARY) {
      apps.add(app(role.app(), 0, city, tenant));
      if (rnd.nextBoolean()) {
        apps.add(app("telemetry-agent", 0, city, tenant));
      }
    }
    if (!apps.isEmpty()) {
      state.put("apps", apps);
    }
    return state;
  }

  /** State whose keys no other policy sets: used only when a tenant has run out of distinct priorities. */
  Map<String, Object> exclusiveState(Tenant tenant, String policy) {
    String id = policy.replace('-', '_');
    return map(
        "sysctl", map("net.ipv4.conf." + id + ".forwarding", "0", "net.ipv6.conf." + id + ".disable_ipv6", "1"),
        "files", List.of(fileSpec("/etc/flotilla/policies/" + policy + ".env",
            "POLICY=" + policy + "\nTENANT=" + tenant.name + "\n", "0640", "root", "adm")),
        "services", List.of(map("unit", "flotilla-" + policy + ".service", "state", "running", "enabled", true,
            "unitFile", "[Unit]\nDescription=Policy " + policy + "\n\n[Service]\nType=oneshot\n"
                + "ExecStart=/bin/true\nRemainAfterExit=yes\n\n[Install]\nWantedBy=multi-user.target\n")));
  }

  /** fromNewest: 0 = newest version, 1 = one older, ... */
  Map<String, Object> app(String name, int fromNewest, City city, Tenant tenant) {
    AppDef def = artifact(name);
    String version = def.versions().get(Math.max(0, def.versions().size() - 1 - fromNewest));
    var env = new TreeMap<String, Object>();
    env.put("LOG_LEVEL", rnd.nextInt(4) == 0 ? "debug" : "info");
    env.put("TZ", city.timeZone());
    env.put("TENANT", tenant.name);
    env.put("BACKEND_URL", "https://api." + tenant.name + ".example.com/" + name + "/v2");
    if (name.equals("telemetry-agent")) {
      env.put("SCRAPE_INTERVAL", "30s");
      env.put("REMOTE_WRITE_URL", "https://metrics.example.com/api/v1/push");
    }
    var check = map("minReadySeconds", 10 + 5 * rnd.nextInt(6), "timeout", "3m",
        "http", map("url", "http://127.0.0.1:" + def.port() + "/healthz", "expectStatus", 200));
    return map(
        "name", name,
        "artifact", name,
        "version", version,
        "command", List.of("bin/" + name, "--config", "/etc/" + name + "/config.toml"),
        "environment", env,
        "healthCheck", check,
        "keepVersions", 2 + rnd.nextInt(2));
  }

  Map<String, Object> service(String unit) {
    return switch (unit) {
      case "chrony.service", "ssh.service", "unattended-upgrades.service", "wpa_supplicant.service" ->
          map("unit", unit, "state", "running", "enabled", true);
      case "systemd-timesyncd.service", "avahi-daemon.service", "bluetooth.service", "ModemManager.service" ->
          map("unit", unit, "state", "stopped", "enabled", false, "drift", "enforce");
      case "cups.service" -> map("unit", unit, "state", rnd.nextBoolean() ? "running" : "stopped",
          "enabled", rnd.nextBoolean());
      case "node-exporter.service" -> map("unit", unit, "state", "running", "enabled", true, "unitFile",
          "[Unit]\nDescription=Prometheus node exporter\nAfter=network-online.target\n"
              + "Wants=network-online.target\n\n[Service]\nUser=node-exporter\n"
              + "ExecStart=/usr/local/bin/node_exporter --web.listen-address=127.0.0.1:9101 "
              + "--collector.systemd --collector.textfile.directory=/var/lib/node-exporter\n"
              + "Restart=on-failure\nRestartSec=" + (5 + rnd.nextInt(10)) + "s\n\n[Install]\n"
              + "WantedBy=multi-user.target\n");
      case "flotilla-watchdog.timer" -> map("unit", unit, "state", "running", "enabled", true, "unitFile",
          "[Unit]\nDescription=Flotilla watchdog\n\n[Timer]\nOnBootSec=5min\nOnUnitActiveSec="
              + (5 + rnd.nextInt(25)) + "min\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n");
      default -> map("unit", unit, "state", "running", "enabled", true);
    };
  }

  Map<String, Object> file(String path, Tenant tenant, Device anchor, String policy) {
    City city = anchor.city();
    return switch (path) {
      case "/etc/chrony/chrony.conf" -> {
        var sb = new StringBuilder("# Managed by Flotilla policy " + policy + "\n");
        for (String server : NTP.get(city.region())) {
          sb.append("server ").append(server).append(" iburst maxsources ").append(2 + rnd.nextInt(3)).append('\n');
        }
        sb.append("driftfile /var/lib/chrony/chrony.drift\nmakestep 1.0 3\nrtcsync\n")
            .append("keyfile /etc/chrony/chrony.keys\nleapsectz right/UTC\nlogdir /var/log/chrony\n");
        yield fileSpec(path, sb.toString(), "0644", "root", "root");
      }
      case "/etc/systemd/journald.conf.d/50-flotilla.conf" -> fileSpec(path,
          "[Journal]\nStorage=persistent\nCompress=yes\nSystemMaxUse=" + (64 << rnd.nextInt(4)) + "M\n"
              + "SystemKeepFree=" + (256 << rnd.nextInt(3)) + "M\nMaxRetentionSec=" + (7 + rnd.nextInt(24))
              + "day\nForwardToSyslog=no\nRateLimitIntervalSec=30s\nRateLimitBurst=" + (1000 * (1
              + rnd.nextInt(10))) + "\n", "0644", "root", "root");
      case "/etc/ssh/sshd_config.d/50-hardening.conf" -> fileSpec(path,
          "# Managed by Flotilla policy " + policy + "\nPermitRootLogin no\nPasswordAuthentication no\n"
              + "KbdInteractiveAuthentication no\nX11Forwarding no\nAllowTcpForwarding no\n"
              + "ClientAliveInterval " + (60 * (1 + rnd.nextInt(5))) + "\nClientAliveCountMax 3\n"
              + "MaxAuthTries " + (3 + rnd.nextInt(3)) + "\nAllowGroups store-ops flotilla-support\n"
              + "KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256\n", "0600", "root", "root");
      case "/etc/motd" -> fileSpec(path,
          tenant.display + " - store device\nManaged by Flotilla. Changes made here are reverted.\n"
              + "Support: https://support.example.com/" + tenant.name + " (policy " + policy + ")\n",
          "0644", "root", "root");
      case "/etc/apt/apt.conf.d/20auto-upgrades" -> fileSpec(path,
          "APT::Periodic::Update-Package-Lists \"1\";\nAPT::Periodic::Unattended-Upgrade \""
              + rnd.nextInt(2) + "\";\nAPT::Periodic::AutocleanInterval \"7\";\n", "0644", "root", "root");
      case "/etc/NetworkManager/conf.d/90-wifi-powersave.conf" -> fileSpec(path,
          "[connection]\n# 2 = disable, 3 = enable\nwifi.powersave = " + (2 + rnd.nextInt(2)) + "\n",
          "0644", "root", "root");
      case "/etc/sudoers.d/90-store-ops" -> fileSpec(path,
          "# Managed by Flotilla policy " + policy + "\n%store-ops ALL=(root) NOPASSWD: /usr/bin/systemctl restart "
              + "flotilla-app-*.service, /usr/bin/journalctl\n", "0440", "root", "root");
      case "/etc/logrotate.d/flotilla-apps" -> fileSpec(path,
          "/var/log/flotilla/apps/*.log {\n    daily\n    rotate " + (3 + rnd.nextInt(12)) + "\n    compress\n"
              + "    delaycompress\n    missingok\n    notifempty\n    copytruncate\n}\n", "0644", "root", "root");
      case "/etc/flotilla/site.env" -> fileSpec(path,
          "SITE=" + anchor.store() + "\nREGION=" + city.region() + "\nTIMEZONE=" + city.timeZone()
              + "\nPRINTER_QUEUE=receipts-" + anchor.store() + "\nUPLINK=" + (rnd.nextBoolean() ? "fiber" : "lte")
              + "\n", "0644", "root", "root");
      case "/usr/local/share/ca-certificates/corp-root.crt" -> {
        AppDef bundle = artifact("ca-bundle");
        String v = bundle.versions().get(rnd.nextInt(bundle.versions().size()));
        yield map("path", path, "artifact", map("name", bundle.name(), "version", v), "mode", "0644",
            "owner", "root", "group", "root");
      }
      default -> throw new IllegalArgumentException(path);
    };
  }

  Map<String, Object> appConfig(Role role, City city, String policy) {
    AppDef app = artifact(role.app());
    String content = "# " + app.description() + ", managed by Flotilla policy " + policy + "\n"
        + "[server]\nlisten = \"127.0.0.1:" + app.port() + "\"\nhealth_path = \"/healthz\"\n\n"
        + "[display]\nlocale = \"" + locale(city) + "\"\ntime_zone = \"" + city.timeZone() + "\"\n"
        + "idle_timeout_seconds = " + (30 + 30 * rnd.nextInt(10)) + "\n\n"
        + "[sync]\ninterval = \"" + (1 + rnd.nextInt(15)) + "m\"\nretries = " + (3 + rnd.nextInt(5)) + "\n"
        + "offline_queue_mb = " + (64 << rnd.nextInt(4)) + "\n";
    return fileSpec("/etc/" + app.name() + "/config.toml", content, "0640", "root", app.name().replace('-', '_'));
  }

  static String locale(City city) {
    return switch (city.region()) {
      case "eu-central" -> "de_DE";
      case "eu-west" -> city.country().equals("France") ? "fr_FR" : city.country().equals("Spain") ? "es_ES"
          : city.country().equals("Portugal") ? "pt_PT" : city.country().equals("Netherlands") ? "nl_NL" : "en_GB";
      case "eu-north" -> "sv_SE";
      case "ap-northeast" -> "ja_JP";
      case "ap-southeast" -> "en_AU";
      default -> "en_US";
    };
  }

  static Map<String, Object> fileSpec(String path, String content, String mode, String owner, String group) {
    return map("path", path, "content", content, "sha256", "sha256:" + sha256Hex(content), "mode", mode,
        "owner", owner, "group", group);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rollouts.

  void makeRollout(Tenant tenant, int index) {
    Device anchor = tenant.devices.get(rnd.nextInt(tenant.devices.size()));
    boolean telemetry = rnd.nextInt(10) < 3;
    AppDef app = artifact(telemetry ? "telemetry-agent" : anchor.role().app());
    String version = app.versions().get(app.versions().size() - 1 - (rnd.nextInt(4) == 0 ? 1 : 0));
    var selector = new LinkedHashMap<String, Object>();
    if (telemetry) {
      selector.put("matchExpressions", List.of(map("key", "region", "operator", "In",
          "values", List.of(anchor.city().region()))));
    } else {
      var labels = map("role", anchor.role().name());
      if (rnd.nextBoolean()) {
        labels.put("region", anchor.city().region());
      }
      selector.put("matchLabels", labels);
    }
    var waves = new ArrayList<Object>();
    waves.add(map("name", "canary", "count", 1, "bakeTime", "30m"));
    int middle = rnd.nextInt(3);
    int[][] percents = {{}, {10}, {5, 25}};
    String[] names = {"early", "half"};
    for (int i = 0; i < middle; i++) {
      waves.add(map("name", i == 0 ? "early" : names[1], "percent", percents[middle][i],
          "bakeTime", (2 + 2 * i) + "h"));
    }
    waves.add(map("name", "rest", "bakeTime", "12h"));
    String what = app.name() + "-" + version.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    String name = uniqueName(tenant.rolloutNames, what, index);
    var spec = map(
        "artifact", map("name", app.name(), "version", version),
        "selector", selector,
        "waves", waves,
        "maxFailureRatio", rnd.nextBoolean() ? 0.1 : 0.25,
        "healthTimeout", (10 + 5 * rnd.nextInt(4)) + "m",
        "failOnNoReport", true,
        "onBreach", rnd.nextInt(4) == 0 ? "pause" : "rollback",
        "paused", rnd.nextInt(10) == 0);
    var doc = map(
        "apiVersion", "flotilla.dev/v1",
        "kind", "Rollout",
        "metadata", map("name", name, "tenant", tenant.name, "labels", map("app", app.name()),
            "annotations", map("flotilla.dev/change-request", "CHG-" + (30000 + rnd.nextInt(9999)))),
        "spec", spec);
    add("tenants/" + tenant.name + "/rollouts/" + name + ".yaml", Yaml.document("rollout", doc));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers.

  interface Assign {
    void set(Tenant tenant, int n);
  }

  /** Splits total over tenants in proportion to their devices (largest remainder); at least one each if asked. */
  static void apportion(List<Tenant> tenants, int total, boolean atLeastOne, Assign assign) {
    if (tenants.isEmpty()) {
      return;
    }
    double[] weights = tenants.stream().mapToDouble(t -> t.devices.size()).toArray();
    int[] counts = largestRemainder(weights, total, atLeastOne && total >= tenants.size() ? 1 : 0);
    for (int i = 0; i < tenants.size(); i++) {
      assign.set(tenants.get(i), counts[i]);
    }
  }

  static int[] largestRemainder(double[] weights, int total, int minimum) {
    int n = weights.length;
    int[] counts = new int[n];
    int rest = total - minimum * n;
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    double[] remainders = new double[n];
    int given = 0;
    for (int i = 0; i < n; i++) {
      double exact = rest * weights[i] / sum;
      counts[i] = minimum + (int) Math.floor(exact);
      remainders[i] = exact - Math.floor(exact);
      given += (int) Math.floor(exact);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -remainders[i]).thenComparing(i -> i));
    for (int k = 0; k < rest - given; k++) {
      counts[order[k % n]]++;
    }
    return counts;
  }

  <T> List<T> pick(List<T> pool, int n) {
    var copy = new ArrayList<>(pool);
    shuffle(copy);
    var chosen = new ArrayList<>(copy.subList(0, Math.min(n, copy.size())));
    chosen.sort(Comparator.comparingInt(pool::indexOf));
    return chosen;
  }

  <T> void shuffle(List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  String hex128() {
    var hex = HexFormat.of();
    return hex.toHexDigits(rnd.nextLong()) + hex.toHexDigits(rnd.nextLong());
  }

  static String pad(int n, int width) {
    String s = Integer.toString(n);
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }

  void add(String relative, String text) {
    files.add(new Out(out.resolve(relative), text));
  }

  void write() throws IOException {
    if (Files.exists(out)) {
      boolean empty;
      try (Stream<Path> list = Files.list(out)) {
        empty = list.findAny().isEmpty();
      }
      if (!empty) {
        if (!Files.isRegularFile(out.resolve("fleet.yaml"))) {
          System.err.println("GenerateFleet: " + out + " exists, is not empty and holds no fleet.yaml; "
              + "refusing to overwrite it");
          System.exit(1);
        }
        try (Stream<Path> walk = Files.walk(out)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            if (!p.equals(out)) {
              Files.delete(p);
            }
          }
        }
      }
    }
    var dirs = new TreeSet<Path>();
    for (var file : files) {
      dirs.add(file.path().getParent());
    }
    for (var dir : dirs) {
      Files.createDirectories(dir);
    }
    files.parallelStream().forEach(file -> {
      try {
        Files.write(file.path(), file.text().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(SHA256.get().digest(bytes));
  }

  static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  static String keyId(KeyPair pair) {
    return sha256Hex(pair.getPublic().getEncoded());
  }

  static String pem(KeyPair pair) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPublic().getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  static String sign(PrivateKey key, byte[] data) throws Exception {
    var signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(key);
    signature.update(data);
    return Base64.getEncoder().encodeToString(signature.sign());
  }

  /** An insertion-ordered map from alternating keys and values. */
  static LinkedHashMap<String, Object> map(Object... kv) {
    var m = new LinkedHashMap<String, Object>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Writers.

  /** A small block-style YAML writer for maps, lists, strings, numbers and booleans. Quotes conservatively. */
  static final class Yaml {
    static final Set<String> RESERVED = Set.of("true", "false", "yes", "no", "on", "off", "y", "n", "null", "~");

    final StringBuilder sb = new StringBuilder(1024);

    static String document(String schema, Map<String, Object> root) {
      var yaml = new Yaml();
      yaml.sb.append("# yaml-language-server: $schema=https://flotilla.dev/schemas/v1/").append(schema)
          .append(".yaml\n");
      yaml.map(root, 0, false);
      return yaml.sb.toString();
    }

    void map(Map<?, ?> m, int indent, boolean firstInline) {
      boolean first = true;
      for (var e : m.entrySet()) {
        if (!(first && firstInline)) {
          indent(indent);
        }
        first = false;
        sb.append(scalar(e.getKey(), false)).append(':');
        value(e.getValue(), indent);
      }
    }

    /** Writes what follows "key:" (or "-"); nested blocks go at indent + 2. */
    void value(Object v, int indent) {
      if (v instanceof Map<?, ?> m) {
        if (m.isEmpty()) {
          sb.append(" {}\n");
        } else {
          sb.append('\n');
          map(m, indent + 2, false);
        }
      } else if (v instanceof List<?> l) {
        if (l.isEmpty()) {
          sb.append(" []\n");
        } else if (flowable(l)) {
          sb.append(" [");
          for (int i = 0; i < l.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(scalar(l.get(i), true));
          }
          sb.append("]\n");
        } else {
          sb.append('\n');
          list(l, indent + 2);
        }
      } else if (v instanceof String s && s.indexOf('\n') >= 0 && literalOk(s)) {
        literal(s, indent + 2);
      } else {
        sb.append(' ').append(scalar(v, false)).append('\n');
      }
    }

    void list(List<?> l, int indent) {
      for (Object item : l) {
        indent(indent);
        sb.append('-');
        if (item instanceof Map<?, ?> m && !m.isEmpty()) {
          sb.append(' ');
          map(m, indent + 2, true);
        } else {
          value(item, indent);
        }
      }
    }

    static boolean flowable(List<?> l) {
      int length = 0;
      for (Object item : l) {
        if (item instanceof Map || item instanceof List || (item instanceof String s && s.indexOf('\n') >= 0)) {
          return false;
        }
        length += scalar(item, true).length() + 2;
      }
      return length <= 72;
    }

    static boolean literalOk(String s) {
      if (s.endsWith("\n\n") || s.startsWith(" ") || s.startsWith("\n")) {
        return false;
      }
      for (String line : s.split("\n", -1)) {
        if (!line.isEmpty() && line.isBlank()) {
          return false;
        }
        for (int i = 0; i < line.length(); i++) {
          char c = line.charAt(i);
          if (c < 0x20 || c == 0x7f) {
            return false;
          }
        }
      }
      return true;
    }

    void literal(String s, int indent) {
      boolean trailingNewline = s.endsWith("\n");
      sb.append(trailingNewline ? " |\n" : " |-\n");
      String body = trailingNewline ? s.substring(0, s.length() - 1) : s;
      for (String line : body.split("\n", -1)) {
        if (!line.isEmpty()) {
          indent(indent);
          sb.append(line);
        }
        sb.append('\n');
      }
    }

    static String scalar(Object v, boolean flow) {
      if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
        return v.toString();
      }
      if (v instanceof Double d) {
        return d.toString();
      }
      String s = (String) v;
      boolean plain = !s.isEmpty() && plainChars(s) && !s.endsWith(":") && !s.endsWith(" ")
          && !s.contains(": ") && !s.contains(" #") && !RESERVED.contains(s.toLowerCase(Locale.ROOT))
          && !(flow && (s.contains(",") || s.contains(":")));
      return plain ? s : quote(s);
    }

    /** Whether s could be a plain scalar: a letter or '/' first, then only characters that never need quoting. */
    static boolean plainChars(String s) {
      char first = s.charAt(0);
      if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z' || first == '/')) {
        return false;
      }
      for (int i = 1; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || " _./:+@,()=*-".indexOf(c) >= 0)) {
          return false;
        }
      }
      return true;
    }

    static String quote(String s) {
      var q = new StringBuilder(s.length() + 2).append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> q.append("\\\"");
          case '\\' -> q.append("\\\\");
          case '\n' -> q.append("\\n");
          case '\t' -> q.append("\\t");
          case '\r' -> q.append("\\r");
          default -> {
            if (c < 0x20 || c == 0x7f) {
              q.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
              q.append(c);
            }
          }
        }
      }
      return q.append('"').toString();
    }

    void indent(int n) {
      for (int i = 0; i < n; i++) {
        sb.append(' ');
      }
    }
  }

  /**
   * JSON with sorted keys. indent < 0 gives the canonical form (no whitespace) that trust root signatures cover;
   * strings escape only '"', '\\' and control characters.
   */
  static final class Json {
    static void write(StringBuilder sb, Object v, int indent, int depth) {
      if (v instanceof Map<?, ?> m) {
        var sorted = new TreeMap<String, Object>();
        m.forEach((k, val) -> sorted.put((String) k, val));
        sb.append('{');
        boolean first = true;
        for (var e : sorted.entrySet()) {
          sb.append(first ? "" : ",");
          first = false;
          newline(sb, indent, depth + 1);
          string(sb, e.getKey());
          sb.append(indent < 0 ? ":" : ": ");
          write(sb, e.getValue(), indent, depth + 1);
        }
        if (!sorted.isEmpty()) {
          newline(sb, indent, depth);
        }
        sb.append('}');
      } else if (v instanceof List<?> l) {
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
          sb.append(i == 0 ? "" : ",");
          newline(sb, indent, depth + 1);
          write(sb, l.get(i), indent, depth + 1);
        }
        if (!l.isEmpty()) {
          newline(sb, indent, depth);
        }
        sb.append(']');
      } else if (v instanceof String s) {
        string(sb, s);
      } else {
        sb.append(v);
      }
    }

    static void newline(StringBuilder sb, int indent, int depth) {
      if (indent >= 0) {
        sb.append('\n').append(" ".repeat(indent * depth));
      }
    }

    static void string(StringBuilder sb, String s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          case '\b' -> sb.append("\\b");
          case '\f' -> sb.append("\\f");
          default -> {
            if (c < 0x20) {
              sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      sb.append('"');
    }
  }
}
