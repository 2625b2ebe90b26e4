package org.rmiq.cli.master;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.Map;
import java.util.function.Supplier;
import org.rmiq.internal.wire.StatusReport;

/**
 * The master's read-only status page over HTTP: {@code /} (a page that refreshes itself every
 * second, its script and style), {@code /chart.umd.js} (Chart.js from its WebJar: classrooms are
 * often offline), {@code /api/status} (the {@link StatusReport} as JSON) and {@code /metrics} (the
 * Prometheus text format). It never shows the token. The page runs under a strict content security
 * policy (its own scripts and styles only), and places every value as text, never as markup.
 */
final class StatusServer implements AutoCloseable {
  private static final String BASE = "/org/rmiq/cli/master/status/";
  private static final String CHART =
      "/META-INF/resources/webjars/chart.js/" + chartVersion() + "/dist/chart.umd.js";
  static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src"
          + " 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final HttpLite http;

  private StatusServer(HttpLite http) {
    this.http = http;
  }

  /** Serves on {@code port} (0 = any free port) at {@code bindAddress} (null = everywhere). */
  static StatusServer start(
      InetAddress bindAddress, int port, Supplier<StatusReport> status, Metrics metrics)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, String[]> files =
        Map.of(
            "/", new String[] {BASE + "index.html", "text/html; charset=utf-8"},
            "/status.js", new String[] {BASE + "status.js", "text/javascript; charset=utf-8"},
            "/status.css", new String[] {BASE + "status.css", "text/css; charset=utf-8"},
            "/chart.umd.js", new String[] {CHART, "text/javascript; charset=utf-8"});
    HttpLite http =
        HttpLite.start(
            bindAddress,
            port,
            "rmiq-status",
            HttpLite.Limits.DEFAULT,
            request -> {
              String path = request.path();
              HttpLite.Response response;
              if (path.equals("/api/status")) {
                response =
                    HttpLite.Response.of(
                        200, "application/json", json.writeValueAsBytes(status.get()));
              } else if (path.equals("/metrics") && metrics != null) {
                response = HttpLite.Response.of(200, metrics.contentType(), metrics.scrape());
              } else if (files.containsKey(path)) {
                String[] file = files.get(path);
                response = HttpLite.Response.of(200, file[1], resource(file[0]));
              } else {
                response = HttpLite.Response.text(404, "not found; the page is at /");
              }
              return response
                  .with("Cache-Control", "no-store")
                  .with("Content-Security-Policy", POLICY)
                  .with("Referrer-Policy", "no-referrer");
            });
    return new StatusServer(http);
  }

  int port() {
    return http.port();
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = StatusServer.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing resource " + path + " (a broken build?)");
      }
      return in.readAllBytes();
    }
  }

  private static String chartVersion() {
    try (InputStream in =
        StatusServer.class.getResourceAsStream(
            "/META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the Chart.js WebJar is missing from the class path", e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
