package org.rmiq.cli.master.web;

import com.google.common.html.HtmlEscapers;
import com.google.common.net.UrlEscapers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  private final Path root;
  private final HttpLite http;

  private FolderServer(Path root, HttpLite http) {
    this.root = root;
    this.http = http;
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
          "--serve " + folder + " is not a folder; give the folder of files to serve");
    }
    Path root = folder.toRealPath();
    FolderServer[] served = new FolderServer[1];
    HttpLite http;
    try {
      http =
          HttpLite.start(
              bindAddress,
              port,
              "rmiq-serve",
              HttpLite.Limits.DEFAULT,
              request -> served[0].handle(request));
    } catch (IOException e) {
      throw new IOException(
          "--serve-port "
              + port
              + " is not available ("
              + e.getMessage()
              + "); choose another, or 0 for any free port",
          e);
    }
    served[0] = new FolderServer(root, http);
    log.info("master: serving {} on port {}", root, http.port());
    return served[0];
  }

  /** The port it listens on. */
  public int port() {
    return http.port();
  }

  /** The real path of the folder served. */
  public Path root() {
    return root;
  }

  /**
   * The URL paths of every file served (hidden ones, links and special files left out), sorted,
   * each starting with {@code /} and escaped for a URL.
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

  private HttpLite.Response handle(HttpLite.Request request) throws IOException {
    Path file = resolve(request.path());
    if (file == null) {
      return HttpLite.Response.text(404, "not found");
    }
    if (Files.isDirectory(file)) {
      return listing(file);
    }
    String type = URLConnection.guessContentTypeFromName(file.getFileName().toString());
    return HttpLite.Response.file(type == null ? "application/octet-stream" : type, file);
  }

  /**
   * The file or folder a request path names, or null when it is missing, hidden, outside the root,
   * or not a plain file or folder. A symbolic link is followed only to a target inside the root
   * whose path there is not hidden either.
   */
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
    if (!real.startsWith(root) || isHidden(root.relativize(real))) {
      return null;
    }
    if (!Files.isRegularFile(real) && !Files.isDirectory(real)) {
      return null; // a FIFO or device would hang or leak
    }
    return real;
  }

  private HttpLite.Response listing(Path folder) throws IOException {
    StringBuilder html =
        new StringBuilder("<!doctype html><meta charset=utf-8><title>rmiq files</title><ul>\n");
    try (Stream<Path> entries = Files.list(folder)) {
      entries
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(
              p ->
                  Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                      || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .forEach(
              p -> {
                boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                String name = p.getFileName().toString() + (dir ? "/" : "");
                html.append("<li><a href=\"")
                    .append(urlPath(root.relativize(p)))
                    .append(dir ? "/" : "")
                    .append("\">")
                    .append(HtmlEscapers.htmlEscaper().escape(name))
                    .append("</a>\n");
              });
    }
    byte[] body = html.append("</ul>\n").toString().getBytes(StandardCharsets.UTF_8);
    return HttpLite.Response.of(200, "text/html; charset=utf-8", body)
        .with("Content-Security-Policy", "default-src 'none'");
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
    http.close();
  }
}
