package org.rmiq.cli.master;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rmiq.internal.util.Timers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small read-only HTTP/1.1 server for the status page and {@code --serve}, bounded against slow
 * or greedy clients: GET and HEAD only, one request per connection, the request line and headers
 * due within a few seconds and at most 16 KiB, at most a few connections per address and a fixed
 * number in all (others get a 503 at once), and every answer against a deadline. A classroom
 * network is not trusted: two clients trickling header bytes must not freeze the page for everyone,
 * as they did with the JDK's server.
 *
 * <p>Every answer carries {@code X-Content-Type-Options: nosniff}; handlers add the rest.
 */
final class HttpLite implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpLite.class);

  /** How much one peer and everyone together may hold open, and how fast they must be. */
  record Limits(int connections, int perAddress, long headerMillis, long minBytesPerSecond) {
    static final Limits DEFAULT = new Limits(64, 8, 5_000, 16 * 1024);
  }

  static final int MAX_HEADER_BYTES = 16 * 1024;

  private static final byte[] BUSY =
      String.join(
              "\r\n",
              "HTTP/1.1 503 Service Unavailable",
              "Connection: close",
              "Content-Length: 0",
              "Retry-After: 1",
              "",
              "")
          .getBytes(StandardCharsets.US_ASCII);

  /** A request: its method, decoded path, and who sent it. */
  record Request(String method, String path, InetAddress peer) {}

  /** An answer: status, headers, and a body in memory or in a file. */
  record Response(int status, Map<String, String> headers, byte[] body, Path file, long length) {
    static Response of(int status, String type, byte[] body) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", type);
      return new Response(status, headers, body, null, body.length);
    }

    static Response text(int status, String text) {
      return of(
          status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static Response file(String type, Path file) throws IOException {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", type);
      return new Response(200, headers, null, file, Files.size(file));
    }

    Response with(String header, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(header, value);
      return new Response(status, more, body, file, length);
    }
  }

  /** Answers one request; never sees a malformed one. */
  interface Handler {
    Response handle(Request request) throws IOException;
  }

  private final ServerSocket server;
  private final Handler handler;
  private final Limits limits;
  private final String name;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService deadlines;
  private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final Thread acceptor;
  private volatile boolean closed;

  private HttpLite(ServerSocket server, Handler handler, Limits limits, String name) {
    this.server = server;
    this.handler = handler;
    this.limits = limits;
    this.name = name;
    this.workers =
        new ThreadPoolExecutor(
            0,
            limits.connections(),
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            new ThreadFactoryBuilder().setDaemon(true).setNameFormat(name + "-http-%d").build());
    this.deadlines = Timers.daemon(name + "-http-deadline-%d");
    this.acceptor = new Thread(this::acceptLoop, name + "-http-accept");
    acceptor.setDaemon(true);
  }

  /**
   * Listens on {@code port} (0: any free one) at {@code bind} (null: every address).
   *
   * @throws BindException when the port is taken
   */
  static HttpLite start(InetAddress bind, int port, String name, Limits limits, Handler handler)
      throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    try {
      socket.bind(new InetSocketAddress(bind, port), 128);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    HttpLite http = new HttpLite(socket, handler, limits, name);
    http.acceptor.start();
    return http;
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!closed) {
          log.debug("{}: accept failed: {}", name, e.toString());
        }
        continue;
      }
      InetAddress peer = socket.getInetAddress();
      AtomicInteger count = perAddress.computeIfAbsent(peer, a -> new AtomicInteger());
      if (count.incrementAndGet() > limits.perAddress()) {
        release(peer, count);
        busy(socket);
        continue;
      }
      try {
        workers.execute(() -> serve(socket, peer, count));
      } catch (RejectedExecutionException full) {
        release(peer, count);
        busy(socket);
      }
    }
  }

  private void release(InetAddress peer, AtomicInteger count) {
    if (count.decrementAndGet() <= 0) {
      perAddress.remove(peer, count);
    }
  }

  /** Refuses a connection at once: 503, without reading a byte. */
  private static void busy(Socket socket) {
    try (socket) {
      socket.setSoTimeout(200);
      socket.getOutputStream().write(BUSY);
    } catch (IOException e) {
      // the peer is gone: nothing to refuse
    }
  }

  private void serve(Socket socket, InetAddress peer, AtomicInteger count) {
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> closeQuietly(socket), limits.headerMillis(), TimeUnit.MILLISECONDS);
    try (socket) {
      socket.setSoTimeout((int) limits.headerMillis());
      socket.setTcpNoDelay(true);
      String[] requestLine = readHead(socket.getInputStream());
      if (requestLine == null) {
        return;
      }
      deadline.cancel(false);
      Response response = respond(requestLine, peer);
      long seconds = 10 + response.length() / Math.max(1, limits.minBytesPerSecond());
      deadline = deadlines.schedule(() -> closeQuietly(socket), seconds, TimeUnit.SECONDS);
      write(socket.getOutputStream(), response, requestLine[0].equals("HEAD"));
    } catch (SocketException | java.net.SocketTimeoutException e) {
      log.debug("{}: {} was too slow or went away: {}", name, peer.getHostAddress(), e.toString());
    } catch (IOException | RuntimeException e) {
      log.debug("{}: request from {} failed: {}", name, peer.getHostAddress(), e.toString());
    } finally {
      deadline.cancel(false);
      release(peer, count);
    }
  }

  private Response respond(String[] requestLine, InetAddress peer) throws IOException {
    String method = requestLine[0];
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return Response.text(405, "read-only: GET and HEAD only").with("Allow", "GET, HEAD");
    }
    String path;
    try {
      path = new URI(requestLine[1]).getPath();
    } catch (URISyntaxException e) {
      return Response.text(400, "bad request path");
    }
    if (path == null || !path.startsWith("/")) {
      return Response.text(400, "bad request path");
    }
    return handler.handle(new Request(method, path, peer));
  }

  /**
   * Reads the request line and headers (which are ignored), at most {@link #MAX_HEADER_BYTES}.
   *
   * @return the method and target, or null for a malformed request (answered and closed)
   */
  private static String[] readHead(InputStream in) throws IOException {
    byte[] head = new byte[MAX_HEADER_BYTES];
    int length = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (length == head.length) {
        return null; // too long: no answer owed to such a client
      }
      head[length++] = (byte) b;
      if (length >= 4
          && head[length - 1] == '\n'
          && (head[length - 2] == '\n' || (head[length - 2] == '\r' && head[length - 3] == '\n'))) {
        break;
      }
    }
    String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
    String first = text.substring(0, text.indexOf('\n')).strip();
    String[] parts = first.split(" ", -1);
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      return null;
    }
    return parts;
  }

  private static void write(OutputStream raw, Response response, boolean headOnly)
      throws IOException {
    OutputStream out = new BufferedOutputStream(raw, 64 * 1024);
    StringBuilder head =
        new StringBuilder("HTTP/1.1 ")
            .append(response.status())
            .append(' ')
            .append(reason(response.status()))
            .append("\r\n");
    response.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("X-Content-Type-Options: nosniff\r\n")
        .append("Content-Length: ")
        .append(response.length())
        .append("\r\nConnection: close\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!headOnly) {
      if (response.file() != null) {
        try (InputStream in = Files.newInputStream(response.file())) {
          long copied = in.transferTo(out);
          if (copied != response.length()) {
            throw new IOException(response.file() + " changed size while it was sent");
          }
        }
      } else {
        out.write(response.body());
      }
    }
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    workers.shutdownNow();
    deadlines.shutdownNow();
  }
}
