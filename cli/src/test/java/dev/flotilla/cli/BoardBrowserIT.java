package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.digest.Digest;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status board in a real headless Chromium against a live reconciler with real agents on loopback: two acme
 * devices and one globex device enrolled and converged, an operator token for each tenant granted by an
 * {@code operators/} file, and the reconciler's own token for all. Screenshots of every page, at desktop and phone
 * width, go to {@code target/board-screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BoardBrowserIT {
  static final Path SCREENSHOTS = Path.of("target/board-screenshots");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ACME = "acme-retail";
  static final String FAILING = "kiosk-berlin-01-a";
  final String acmeToken = "acme-" + UUID.randomUUID();
  final String globexToken = "globex-" + UUID.randomUUID();
  final String rootToken = "root-" + UUID.randomUUID();
  Path work;
  LiveFleet fleet;
  BoardClient client;
  String head;

  @BeforeAll
  void start() throws Exception {
    work = Files.createTempDirectory("board-it");
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    fleet.enrol(List.of(FAILING, "pos-berlin-01-1", "menu-lyon-01-a"));
    operator("acme-ops", acmeToken, ACME);
    operator("globex-ops", globexToken, "globex-cafes");
    head = fleet.commit("Enrol three devices; grant each tenant's operators the board");
    fleet.startReconciler(Duration.ofSeconds(1), rootToken);
    fleet.startAgents(Duration.ofSeconds(1), (device, line) -> { });
    assertThat(fleet.awaitConverged(Duration.ofSeconds(60))).as("first bundles applied").isTrue();
    client = new BoardClient(fleet, FAILING, work);
    var history = fleet.server.history();
    history.record(new HistoryEvent(Instant.now(), null, null, EventKind.COMMIT_ACCEPTED, head,
        JSON.createObjectNode().put("message", "3 bundle(s) signed")));
    history.record(new HistoryEvent(Instant.now(), ACME, FAILING, EventKind.RECEIPT, head,
        JSON.createObjectNode().put("outcome", "applied")));
    history.record(new HistoryEvent(Instant.now(), "globex-cafes", "menu-lyon-01-a", EventKind.RECEIPT, head,
        JSON.createObjectNode().put("outcome", "applied")));
  }

  void operator(String name, String token, String tenant) throws Exception {
    var file = fleet.repo.resolve("operators/" + name + ".yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "apiVersion: flotilla.dev/v1\nkind: Operator\nmetadata:\n  name: " + name + "\nspec:\n"
        + "  tokenHash: " + Digest.sha256(token.getBytes(StandardCharsets.UTF_8)) + "\n  tenants: [" + tenant + "]\n");
  }

  @AfterAll
  void stop() throws Exception {
    fleet.close();
  }

  String url(String path) {
    return "https://127.0.0.1:" + fleet.server.address().getPort() + path;
  }

  /** Signs in through the form and waits for the page's event stream to be open. */
  void signIn(Browser browser, String token) {
    browser.driver.get(url("/ui/"));
    assertThat(browser.driver.getCurrentUrl()).endsWith("/ui/login");
    browser.driver.findElement(By.id("token")).sendKeys(token);
    browser.driver.findElement(By.cssSelector("form button")).click();
    awaitLive(browser);
  }

  void awaitLive(Browser browser) {
    new WebDriverWait(browser.driver, Duration.ofSeconds(10))
        .until(d -> "live".equals(d.findElement(By.id("live")).getText()));
  }

  String count(Browser browser, String state) {
    return browser.driver.findElement(By.cssSelector(".summary [data-count='" + state + "']")).getText();
  }

  @Test
  @Order(1)
  void fleetPageShowsTheNumbersOfTheOperatorsTenantsOnly() throws Exception {
    try (var browser = new Browser()) {
      signIn(browser, acmeToken);
      long acmeDevices;
      try (var files = Files.list(fleet.repo.resolve("tenants/acme-retail/devices"))) {
        acmeDevices = files.count();
      }
      assertThat(browser.driver.findElement(By.cssSelector(".summary")).getAttribute("data-total"))
          .isEqualTo(String.valueOf(acmeDevices));
      assertThat(count(browser, "in-sync")).isEqualTo("2");
      assertThat(count(browser, "offline")).as("never reported").isEqualTo(String.valueOf(acmeDevices - 2));
      assertThat(browser.driver.findElement(By.id("compliance")).getText())
          .isEqualTo((int) Math.floor(200.0 / acmeDevices) + "%");
      assertThat(browser.driver.findElements(By.cssSelector("table.tenants tbody tr"))).hasSize(1);
      var source = browser.driver.getPageSource();
      assertThat(source).contains(FAILING).contains("applied").doesNotContain("menu-lyon-01-a")
          .doesNotContain("globex").doesNotContain("3 bundle(s) signed");
      assertThat(browser.consoleErrors()).isEmpty();
    }
  }

  @Test
  @Order(2)
  void aDeviceReportingFailureTurnsRedOnAnOpenPageWithinTwoSeconds() throws Exception {
    try (var browser = new Browser()) {
      signIn(browser, acmeToken);
      var row = By.cssSelector("tr[data-device='" + FAILING + "']");
      assertThat(browser.driver.findElement(row).getAttribute("class")).isEqualTo("in-sync");
      client.stopAgent();

      var sent = System.nanoTime();
      assertThat(client.reportFailing().statusCode()).isEqualTo(204);
      new WebDriverWait(browser.driver, Duration.ofSeconds(2))
          .until(d -> d.findElement(row).getAttribute("class").equals("failing"));
      var millis = (System.nanoTime() - sent) / 1_000_000;

      assertThat(millis).isLessThan(2000);
      assertThat(browser.driver.findElement(row).findElement(By.cssSelector(".badge")).getText()).isEqualTo("failing");
      assertThat(count(browser, "failing")).isEqualTo("1");
      assertThat(count(browser, "in-sync")).isEqualTo("1");
      assertThat(browser.driver.findElement(row).getText()).contains("HealthCheckFailed");
      assertThat(browser.consoleErrors()).isEmpty();

      browser.driver.get(url("/ui/devices/" + FAILING));
      var page = browser.driver.findElement(By.tagName("main")).getText();
      assertThat(page).contains("app kiosk-ui").contains("health check 'http' failed")
          .contains("kiosk-ui.service: Main process exited, code=exited, status=1/FAILURE");
    }
  }

  @Test
  @Order(3)
  void anotherTenantsTokenSeesNoneOfIt() throws Exception {
    try (var browser = new Browser()) {
      signIn(browser, globexToken);
      var source = browser.driver.getPageSource();
      assertThat(source).contains("menu-lyon-01-a").doesNotContain(FAILING).doesNotContain(ACME)
          .doesNotContain("3 bundle(s) signed");
      assertThat(count(browser, "failing")).isEqualTo("0");
      browser.driver.get(url("/ui/devices/" + FAILING));
      assertThat(browser.driver.findElement(By.tagName("body")).getText()).contains("no such device");
      browser.driver.get(url("/ui/history"));
      assertThat(browser.driver.getPageSource()).contains("menu-lyon-01-a").doesNotContain(FAILING);
    }
    var seen = client.eventsDuring(List.of(globexToken, rootToken), client::toggleFailing);
    assertThat(seen.get(rootToken)).as("the all-tenants stream got the change").contains(FAILING);
    assertThat(seen.get(globexToken)).doesNotContain(FAILING).doesNotContain(ACME);
    assertThat(client.get("/ui/devices/" + FAILING, globexToken).statusCode()).isEqualTo(404);
    assertThat(client.get("/v1/devices", globexToken).body()).contains("menu-lyon-01-a").doesNotContain(FAILING);
    assertThat(client.get("/v1/devices", rootToken).body()).contains("menu-lyon-01-a").contains(FAILING);
    assertThat(client.get("/ui/", "not-a-token").statusCode()).isEqualTo(401);
  }

  @Test
  @Order(4)
  void everyPageHasNoConsoleErrorsNorSeriousAccessibilityViolations() throws Exception {
    var pages = List.of("/ui/", "/ui/devices/" + FAILING, "/ui/rollouts", "/ui/history?since=1h",
        "/ui/commits/" + head);
    try (var browser = new Browser()) {
      browser.driver.get(url("/ui/login"));
      check(browser, "login");
      signIn(browser, rootToken);
      for (var path : pages) {
        browser.driver.get(url(path));
        awaitLive(browser);
        check(browser, path.replaceAll("[^a-z]+", "-").replaceAll("^-|-$", ""));
      }
    }
  }

  void check(Browser browser, String name) throws Exception {
    assertThat(browser.consoleErrors()).as("console errors on " + name).isEmpty();
    assertThat(browser.seriousViolations()).as("axe on " + name).isEmpty();
    browser.screenshot(SCREENSHOTS.resolve(name + "-desktop.png"), 1366, 900);
    browser.screenshot(SCREENSHOTS.resolve(name + "-phone.png"), 390, 844);
  }
}
