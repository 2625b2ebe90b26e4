package org.rmiq.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The download benchmark's web server on loopback: every path answers after a fixed delay with a
 * body of fixed size, like a remote image server, on enough threads that it never queues.
 */
final class SlowWebServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;

  private SlowWebServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  static SlowWebServer start(Duration delay, int bytes) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    byte[] body = new byte[bytes];
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos()); // the server's answer time being modelled
            exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    ExecutorService threads = Executors.newCachedThreadPool();
    server.setExecutor(threads);
    server.start();
    return new SlowWebServer(server, threads);
  }

  String url(String name) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
