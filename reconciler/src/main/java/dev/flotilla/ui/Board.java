package dev.flotilla.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.flotilla.access.OperatorScope;
import dev.flotilla.access.OperatorTokens;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The status board under {@code /ui/}: read-only pages rendered on the server from jte templates compiled at build
 * time, a small CSS and JS file, and {@code /ui/events} (Server-Sent Events) for live updates. Every request needs
 * an operator token ({@link BoardAuth}); a page without one redirects to the login form, and everything shown is
 * cut to the token's tenants. Thread-safe; each request runs on its own virtual thread.
 * <pre>
 * GET  /ui/                     fleet: devices by tenant and state, compliance, the last hour (?tenant=&amp;state=&amp;page=)
 * GET  /ui/devices/{name}       one device
 * GET  /ui/rollouts             rollouts, paused and rolled back first
 * GET  /ui/history              history (?tenant=&amp;device=&amp;kind=&amp;since=&amp;until=)
 * GET  /ui/commits/{id}         the commit a history entry came from
 * GET  /ui/events               Server-Sent Events: device, history
 * GET  /ui/login, POST /ui/login, POST /ui/logout
 * </pre>
 */
public final class Board implements HttpHandler {
  private static final System.Logger LOG = System.getLogger("flotilla.ui");
  private static final Pattern DEVICE = Pattern.compile("^/ui/devices/([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)$");
  private static final Pattern COMMIT = Pattern.compile("^/ui/commits/([0-9a-f]{7,40})$");
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html,
      Board.class.getClassLoader(), "dev.flotilla.ui.pages");
  private final BoardAuth auth;
  private final Pages pages;
  private final DevicePages devices;
  private final CommitPages commits;
  private final BoardEvents events;
  private final Map<String, byte[]> assets = Map.of("board.css", asset("board.css"), "board.js", asset("board.js"),
      "icon.svg", asset("icon.svg"));

  public Board(BoardSource source, OperatorTokens tokens) {
    var rows = new FleetRows(source);
    this.auth = new BoardAuth(tokens);
    this.pages = new Pages(source, rows);
    this.devices = new DevicePages(source, rows, pages);
    this.commits = new CommitPages(source, pages);
    this.events = new BoardEvents(rows);
    source.statuses().onReport(events::reported);
    source.history().subscribe(events::recorded);
  }

  @Override
  public void handle(HttpExchange exchange) {
    try (exchange) {
      answer(exchange);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "answer board request: " + e.getMessage() + "; the client went away");
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "answer board request " + exchange.getRequestURI().getPath() + ": " + e, e);
      if (exchange.getResponseCode() == -1) {
        quietly(() -> BoardResponses.text(exchange, 500, "internal error; the reconciler's log has the details"));
      }
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    var path = exchange.getRequestURI().getPath();
    var method = exchange.getRequestMethod();
    if (path.startsWith("/ui/static/")) {
      var asset = assets.get(path.substring("/ui/static/".length()));
      BoardResponses.asset(exchange, path, asset);
      return;
    }
    if (path.equals("/ui/login")) {
      login(exchange, method);
      return;
    }
    if (path.equals("/ui/logout") && "POST".equals(method)) {
      exchange.getResponseHeaders().add("Set-Cookie", BoardAuth.clearCookie());
      BoardResponses.redirect(exchange, "/ui/login");
      return;
    }
    if (!"GET".equals(method)) {
      BoardResponses.text(exchange, 405, "use GET: the board is read-only");
      return;
    }
    var scope = auth.scope(exchange);
    if (scope.isEmpty()) {
      unauthorised(exchange, path);
      return;
    }
    page(exchange, path, scope.get());
  }

  private void page(HttpExchange exchange, String path, OperatorScope scope) throws IOException {
    var params = params(exchange.getRequestURI().getRawQuery());
    var device = DEVICE.matcher(path);
    var commit = COMMIT.matcher(path);
    if (path.equals("/ui/") || path.equals("/ui")) {
      var state = params.get("state");
      var chosen = java.util.Arrays.stream(DeviceState.values()).filter(s -> s.css().equals(state)).findFirst();
      render(exchange, "fleet.jte", pages.fleet(scope, blankToNull(params.get("tenant")), chosen.orElse(null),
          number(params.get("page"))));
    } else if (device.matches()) {
      renderFound(exchange, "device.jte", devices.device(scope, device.group(1)),
          "show device '" + device.group(1) + "': no such device");
    } else if (path.equals("/ui/rollouts")) {
      render(exchange, "rollouts.jte", pages.rollouts(scope));
    } else if (path.equals("/ui/history")) {
      render(exchange, "history.jte", pages.history(scope, HistoryFilter.parse(params, java.time.Instant.now())));
    } else if (commit.matches()) {
      renderFound(exchange, "commit.jte", commits.commit(scope, commit.group(1)),
          "show commit '" + commit.group(1) + "': not in the reconciler's mirror");
    } else if (path.equals("/ui/events")) {
      BoardResponses.stream(exchange, events, events.subscribe(scope));
    } else {
      BoardResponses.text(exchange, 404, "not found: " + path + "; the board is at /ui/");
    }
  }

  private void login(HttpExchange exchange, String method) throws IOException {
    if ("GET".equals(method)) {
      render(exchange, "login.jte", new Views.LoginPage(""));
      return;
    }
    if (!"POST".equals(method)) {
      BoardResponses.text(exchange, 405, "use GET or POST");
      return;
    }
    var form = params(BoardResponses.form(exchange));
    var token = form.getOrDefault("token", "");
    if (auth.login(token).isEmpty()) {
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      render(exchange, 401, "login.jte", new Views.LoginPage("sign in: that is no operator's token; ask for one "
          + "to be granted in the fleet repo (operators/<name>.yaml)"));
      return;
    }
    exchange.getResponseHeaders().add("Set-Cookie", BoardAuth.setCookie(token));
    BoardResponses.redirect(exchange, "/ui/");
  }

  private void unauthorised(HttpExchange exchange, String path) throws IOException {
    var bearer = exchange.getRequestHeaders().getFirst("Authorization") != null;
    if (bearer || path.equals("/ui/events")) {
      BoardResponses.text(exchange, 401, "show the board: operator token required; send 'Authorization: Bearer "
          + "<operator token>' or sign in at /ui/login");
    } else {
      BoardResponses.redirect(exchange, "/ui/login");
    }
  }

  /** Renders {@code page} when present, else answers 404 with {@code missing}. */
  private void renderFound(HttpExchange exchange, String template, java.util.Optional<?> page, String missing)
      throws IOException {
    if (page.isPresent()) {
      render(exchange, template, page.get());
    } else {
      BoardResponses.text(exchange, 404, missing);
    }
  }

  private void render(HttpExchange exchange, String template, Object page) throws IOException {
    render(exchange, 200, template, page);
  }

  private void render(HttpExchange exchange, int code, String template, Object page) throws IOException {
    var out = new Utf8ByteOutput();
    templates.render(template, page, out);
    BoardResponses.html(exchange, code, out.toByteArray());
  }

  /** Ends every open event stream; the server stops afterwards. */
  public void close() {
    events.close();
  }

  static Map<String, String> params(String query) {
    var params = new HashMap<String, String>();
    if (query == null || query.isEmpty()) {
      return params;
    }
    for (var pair : query.split("&")) {
      var at = pair.indexOf('=');
      var key = at < 0 ? pair : pair.substring(0, at);
      var value = at < 0 ? "" : pair.substring(at + 1);
      try {
        params.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // a malformed escape: the parameter is left out, as if not sent
      }
    }
    return params;
  }

  private static int number(String text) {
    try {
      return text == null ? 1 : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private static byte[] asset(String name) {
    try (InputStream in = Board.class.getResourceAsStream("/dev/flotilla/ui/" + name)) {
      if (in == null) {
        throw new IllegalStateException("read board asset '" + name + "': not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface Action {
    void run() throws IOException;
  }

  private static void quietly(Action action) {
    try {
      action.run();
    } catch (IOException | RuntimeException e) {
      // the client is gone; nothing to tell it
    }
  }
}
