package org.rmiq.worker.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/** A real HTTP (or HTTPS) server on loopback, port 0, for download tests. */
final class WebServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final String scheme;

  private WebServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.setExecutor(executor);
    server.start();
  }

  static WebServer http() throws IOException {
    return new WebServer(
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64), "http");
  }

  static WebServer https(SSLContext tls) throws IOException {
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new WebServer(server, "https");
  }

  WebServer on(String path, HttpHandler handler) {
    server.createContext(
        path,
        exchange -> {
          try (exchange) {
            handler.handle(exchange);
          } catch (IOException e) {
            // the client went away (a cancelled download): nothing to answer
          }
        });
    return this;
  }

  URI url(String path) {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
  }

  static void redirect(HttpExchange exchange, int status, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(status, -1);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
