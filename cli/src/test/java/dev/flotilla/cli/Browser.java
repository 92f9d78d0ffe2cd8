package dev.flotilla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium driven over WebDriver by Debian's chromedriver, with what the board's tests check on
 * every page: the browser console's errors, and axe-core's accessibility violations. axe-core comes from npm
 * ({@code npm pack}) into {@code target/axe}, never into the repository.
 */
final class Browser implements AutoCloseable {
  static final Path AXE_DIR = Path.of("target/axe");
  static final String AXE_VERSION = "4.14";
  final ChromeDriver driver;

  Browser() {
    var options = new ChromeOptions().setBinary("/usr/bin/chromium")
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--window-size=1366,900");
    options.setAcceptInsecureCerts(true); // the reconciler's self-signed certificate
    var logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    var service = new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
        .build();
    driver = new ChromeDriver(service, options);
  }

  /** The console messages of level SEVERE since the last call (errors, failed loads, CSP refusals). */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).map(Object::toString).toList();
  }

  /** axe-core's serious and critical violations on the current page, one line each with the nodes at fault. */
  @SuppressWarnings("unchecked")
  List<String> seriousViolations() throws IOException, InterruptedException {
    var js = (JavascriptExecutor) driver;
    js.executeScript(Files.readString(axe()));
    var violations = (List<Map<String, Object>>) js.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => ({id: v.id,"
            + " impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))));");
    var serious = new ArrayList<String>();
    for (var v : violations) {
      if ("serious".equals(v.get("impact")) || "critical".equals(v.get("impact"))) {
        serious.add(v.get("id") + " (" + v.get("impact") + "): " + v.get("help") + " at " + v.get("nodes"));
      }
    }
    return serious;
  }

  /** Saves a screenshot of the current page at {@code width} × {@code height} CSS pixels. */
  void screenshot(Path file, int width, int height) throws IOException {
    driver.manage().window().setSize(new Dimension(width, height));
    Files.createDirectories(file.getParent());
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    driver.manage().window().setSize(new Dimension(1366, 900));
  }

  /** axe.min.js, fetched once with 'npm pack' into target/axe. */
  static synchronized Path axe() throws IOException, InterruptedException {
    var script = AXE_DIR.resolve("package/axe.min.js");
    if (Files.exists(script)) {
      return script;
    }
    Files.createDirectories(AXE_DIR);
    run(List.of("npm", "pack", "axe-core@~" + AXE_VERSION, "--silent"));
    try (var files = Files.list(AXE_DIR)) {
      var tarball = files.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst().orElseThrow(
          () -> new IOException("fetch axe-core: npm pack left no tarball in " + AXE_DIR));
      run(List.of("tar", "xzf", tarball.getFileName().toString()));
    }
    return script;
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    var process = new ProcessBuilder(command).directory(AXE_DIR.toFile()).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException("run '" + String.join(" ", command) + "': exit " + process.exitValue() + ": " + output);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
