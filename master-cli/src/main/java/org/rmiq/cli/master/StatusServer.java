package org.rmiq.cli.master;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.rmiq.internal.wire.StatusReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's read-only status page over HTTP: {@code /} (one self-contained page that refreshes
 * itself every second), {@code /chart.umd.js} (Chart.js from its WebJar) and {@code /api/status}
 * (the {@link StatusReport} as JSON). It never shows the token.
 */
final class StatusServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
  private static final String PAGE = "/org/rmiq/master/status/index.html";
  private static final String CHART =
      "/META-INF/resources/webjars/chart.js/" + chartVersion() + "/dist/chart.umd.js";

  private final HttpServer server;
  private final ExecutorService executor;

  private StatusServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Serves on {@code port} (0 = any free port) at {@code bindAddress} (null = everywhere). */
  static StatusServer start(InetAddress bindAddress, int port, Supplier<StatusReport> status)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
    ObjectMapper json = new ObjectMapper();
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
              send(
                  exchange,
                  405,
                  "text/plain",
                  "read-only: GET only".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else if (exchange.getRequestURI().getPath().equals("/api/status")) {
              send(exchange, 200, "application/json", json.writeValueAsBytes(status.get()));
            } else if (exchange.getRequestURI().getPath().equals("/chart.umd.js")) {
              send(exchange, 200, "text/javascript", resource(CHART));
            } else if (exchange.getRequestURI().getPath().equals("/")) {
              send(exchange, 200, "text/html; charset=utf-8", resource(PAGE));
            } else {
              send(
                  exchange,
                  404,
                  "text/plain",
                  "not found; the page is at /".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
          } catch (RuntimeException e) {
            log.error("status page: request failed", e);
          }
        });
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            new ThreadFactoryBuilder()
                .setDaemon(true)
                .setNameFormat("rmiq-master-status-http-%d")
                .build());
    server.setExecutor(executor);
    server.start();
    return new StatusServer(server, executor);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(code, body.length);
    exchange.getResponseBody().write(body);
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
    server.stop(0);
    MoreExecutors.shutdownAndAwaitTermination(executor, 1, TimeUnit.SECONDS);
  }
}
