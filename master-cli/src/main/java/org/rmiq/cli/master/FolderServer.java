package org.rmiq.cli.master;

import com.google.common.html.HtmlEscapers;
import com.google.common.net.UrlEscapers;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one folder read-only over HTTP ({@code --serve DIR}), so a class without internet can run
 * the download demo against the teacher's laptop. Only regular files inside the folder are served:
 * no hidden files, no {@code ..}, no symbolic link leading out of it; a folder gets a plain list of
 * links. Anyone who can reach the port can read the folder: serve only what may be shared.
 */
public final class FolderServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FolderServer.class);
  private static final int THREADS = 16;

  private final Path root;
  private final HttpServer server;
  private final ExecutorService executor;

  private FolderServer(Path root, HttpServer server, ExecutorService executor) {
    this.root = root;
    this.server = server;
    this.executor = executor;
  }

  /**
   * Serves {@code folder} on {@code port} (0 = any free one) at {@code bindAddress} (null = every
   * interface).
   *
   * @throws IOException naming the folder or the port when either is unusable
   */
  public static FolderServer start(Path folder, InetAddress bindAddress, int port)
      throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IOException(
          "--serve " + folder + " is not a folder; give the folder of files" + " to serve");
    }
    Path root = folder.toRealPath();
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
    } catch (IOException e) {
      throw new IOException(
          "--serve-port "
              + port
              + " is not available ("
              + e.getMessage()
              + "); choose another, or 0 for any free port",
          e);
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            new ThreadFactoryBuilder()
                .setDaemon(true)
                .setNameFormat("rmiq-master-serve-%d")
                .build());
    FolderServer served = new FolderServer(root, server, executor);
    server.createContext("/", served::handle);
    server.setExecutor(executor);
    server.start();
    log.info("master: serving {} on port {}", root, served.port());
    return served;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The real path of the folder served. */
  public Path root() {
    return root;
  }

  /**
   * The URL paths of every file served (hidden ones and symbolic links left out), sorted, each
   * starting with {@code /} and escaped for a URL.
   */
  public List<String> filePaths() throws IOException {
    List<String> paths = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .filter(p -> !isHidden(root.relativize(p)))
          .sorted()
          .forEach(p -> paths.add(urlPath(root.relativize(p))));
    }
    return paths;
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        sendText(exchange, 405, "read-only: GET and HEAD only");
        return;
      }
      Path file = resolve(exchange.getRequestURI().getPath());
      if (file == null) {
        sendText(exchange, 404, "not found");
      } else if (Files.isDirectory(file)) {
        sendListing(exchange, file);
      } else {
        sendFile(exchange, file, method.equals("HEAD"));
      }
    } catch (IOException | RuntimeException e) {
      log.debug("serve: request failed: {}", e.toString());
    }
  }

  /** The file a request path names, or null when it is missing, hidden or outside the root. */
  private Path resolve(String path) throws IOException {
    Path relative = Path.of("");
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()) {
        continue;
      }
      if (segment.startsWith(".") || segment.contains("\\") || segment.indexOf('\0') >= 0) {
        return null; // hidden files, "." and ".."
      }
      relative = relative.resolve(segment);
    }
    Path candidate = root.resolve(relative).normalize();
    if (!candidate.startsWith(root) || !Files.exists(candidate)) {
      return null;
    }
    Path real = candidate.toRealPath(); // a symbolic link may point anywhere: check its target
    return real.startsWith(root) ? real : null;
  }

  private static void sendFile(HttpExchange exchange, Path file, boolean headOnly)
      throws IOException {
    String type = URLConnection.guessContentTypeFromName(file.getFileName().toString());
    exchange
        .getResponseHeaders()
        .set("Content-Type", type == null ? "application/octet-stream" : type);
    long size = Files.size(file);
    exchange.sendResponseHeaders(200, headOnly ? -1 : (size == 0 ? -1 : size));
    if (!headOnly && size > 0) {
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = exchange.getResponseBody()) {
        in.transferTo(out);
      }
    }
  }

  private void sendListing(HttpExchange exchange, Path folder) throws IOException {
    StringBuilder html =
        new StringBuilder(
            "<!doctype html><meta charset=utf-8><title>rmiq" + " files</title><ul>\n");
    try (Stream<Path> entries = Files.list(folder)) {
      entries
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .forEach(
              p -> {
                String name = p.getFileName().toString() + (Files.isDirectory(p) ? "/" : "");
                html.append("<li><a href=\"")
                    .append(urlPath(root.relativize(p)))
                    .append(Files.isDirectory(p) ? "/" : "")
                    .append("\">")
                    .append(HtmlEscapers.htmlEscaper().escape(name))
                    .append("</a>\n");
              });
    }
    byte[] body = html.append("</ul>\n").toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
  }

  private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static boolean isHidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String urlPath(Path relative) {
    StringBuilder url = new StringBuilder();
    for (Path part : relative) {
      url.append('/').append(UrlEscapers.urlPathSegmentEscaper().escape(part.toString()));
    }
    return url.length() == 0 ? "/" : url.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    MoreExecutors.shutdownAndAwaitTermination(executor, 1, TimeUnit.SECONDS);
  }
}
