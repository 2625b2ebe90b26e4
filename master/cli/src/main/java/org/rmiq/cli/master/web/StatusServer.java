package org.rmiq.cli.master.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.Map;
import java.util.function.Supplier;
import org.rmiq.master.Master;
import org.rmiq.report.StatusReport;

/**
 * The master's read-only status page over HTTP: {@code /} (a page that refreshes itself every
 * second, its script and style), {@code /jobs/N} (a job's own page, kept after it ended) and the
 * job API behind it ({@link JobApi}), {@code /chart.umd.js} (Chart.js from its WebJar: classrooms
 * are often offline), {@code /api/status} (the {@link StatusReport} as JSON) and {@code /metrics}
 * (the Prometheus text format). It never shows the token. The page runs under a strict content
 * security policy (its own scripts and styles only), and places every value as text, never as
 * markup.
 */
public final class StatusServer implements AutoCloseable {
  private static final String BASE = "/org/rmiq/cli/master/status/";
  private static final String CHART =
      "/META-INF/resources/webjars/chart.js/" + chartVersion() + "/dist/chart.umd.js";
  static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src"
          + " 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** A job's own page; its script reads the number from the address. */
  private static final java.util.regex.Pattern JOB_PAGE =
      java.util.regex.Pattern.compile("/jobs/\\d{1,18}");

  private final HttpLite http;
  private final WorkerJar jar;
  private final Runnable warmUp;

  private StatusServer(HttpLite http, WorkerJar jar, Runnable warmUp) {
    this.http = http;
    this.jar = jar;
    this.warmUp = warmUp;
  }

  /**
   * Writes the status once on a background thread, once the master runs: cold, the first request
   * spent half a second loading and compiling the JSON writer while the teacher looked at the page.
   */
  public void warmUp() {
    Thread thread = new Thread(warmUp, "rmiq-status-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  /** Where the page hands out this master's worker jar, or null when it has none. */
  public String workerJarUrl(String address) {
    return jar.present() ? "http://" + address + ":" + port() + "/rmiq-worker.jar" : null;
  }

  /** The SHA-256 of the worker jar the page hands out, or null when the master has none. */
  public String workerSha256() {
    return jar.sha256();
  }

  /**
   * Who the page is for: the address others reach this machine at (for the join lines), the
   * master's port, and the {@code --host} the teacher gave (or null), whose name requests may use.
   */
  public record Site(String address, java.util.function.IntSupplier masterPort, String host) {}

  /**
   * Serves on {@code port} (0 = any free port) at {@code bindAddress} (null = everywhere), to
   * requests that name this machine.
   */
  public static StatusServer start(
      InetAddress bindAddress,
      int port,
      Site site,
      Supplier<Master> master,
      Supplier<Metrics> metrics)
      throws IOException {
    WorkerJar jar = new WorkerJar();
    int[] pagePort = new int[1];
    // Made at the first request, not at start: a master listens before any page is asked for.
    Supplier<ObjectMapper> json = com.google.common.base.Suppliers.memoize(ObjectMapper::new);
    Map<String, String[]> files =
        Map.of(
            "/", new String[] {BASE + "index.html", "text/html; charset=utf-8"},
            "/status.js", new String[] {BASE + "status.js", "text/javascript; charset=utf-8"},
            "/job.js", new String[] {BASE + "job.js", "text/javascript; charset=utf-8"},
            "/timeline.js", new String[] {BASE + "timeline.js", "text/javascript; charset=utf-8"},
            "/speedup.js", new String[] {BASE + "speedup.js", "text/javascript; charset=utf-8"},
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
              if (path.equals("/join")) {
                String masterAddress = site.address() + ":" + site.masterPort().getAsInt();
                response =
                    HttpLite.Response.of(
                        200,
                        "text/html; charset=utf-8",
                        jar.present()
                            ? JoinPage.render(
                                new JoinLines(
                                    "http://" + site.address() + ":" + pagePort[0],
                                    masterAddress,
                                    jar.sha256()))
                            : JoinPage.withoutJar(masterAddress));
              } else if (path.equals("/rmiq-worker.jar") && jar.present()) {
                response =
                    HttpLite.Response.streamed("application/java-archive", jar::open, jar.length())
                        .with("Content-Disposition", "attachment; filename=\"rmiq-worker.jar\"");
              } else if (path.equals("/api/status")) {
                response =
                    HttpLite.Response.of(
                        200,
                        "application/json",
                        json.get().writeValueAsBytes(master.get().status()));
              } else if (JobApi.handles(path)) {
                response = JobApi.answer(path, master.get(), json.get());
              } else if (JOB_PAGE.matcher(path).matches()) {
                response =
                    HttpLite.Response.of(
                        200, "text/html; charset=utf-8", resource(BASE + "job.html"));
              } else if (path.equals("/metrics")) {
                Metrics m = metrics.get();
                response = HttpLite.Response.of(200, m.contentType(), m.scrape());
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
    http.allowHosts(LocalNames.of(site.host()));
    pagePort[0] = http.port();
    return new StatusServer(
        http,
        jar,
        () -> {
          try {
            json.get().writeValueAsBytes(master.get().status());
          } catch (IOException | RuntimeException e) {
            // a warm-up only
          }
        });
  }

  public int port() {
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
