package org.rmiq.cli.master.web;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.rmiq.util.DaemonThreads;
import org.rmiq.util.Timers;
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
 * <p>Answers go out against a rate, not a total: each 64 KiB must leave within four seconds (16
 * KiB/s), so a client that stops reading frees its slot at once, whatever the file's size. A
 * request whose {@code Host} names none of this machine's names (a DNS-rebinding page in a
 * student's browser) gets a 421, so {@code --status-bind 127.0.0.1} means what it says. Addresses
 * count per IPv4 address and per IPv6 /64. A request that is not HTTP gets a 400 at once (an rmiq
 * worker pointed at the wrong port recognizes it).
 *
 * <p>Every answer carries {@code X-Content-Type-Options: nosniff}; handlers add the rest.
 */
public final class HttpLite implements AutoCloseable {
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

  /** A request: its method, decoded path, who sent it, and the host it named (or empty). */
  record Request(String method, String path, InetAddress peer, String host) {
    Request(String method, String path, InetAddress peer) {
      this(method, path, peer, "");
    }
  }

  /** Opens a body to stream (a resource of the jar, say). */
  interface Source {
    InputStream open() throws IOException;
  }

  /** An answer: status, headers, and a body in memory, in a file, or streamed from a source. */
  record Response(
      int status, Map<String, String> headers, byte[] body, Path file, Source stream, long length) {
    Response(int status, Map<String, String> headers, byte[] body, Path file, long length) {
      this(status, headers, body, file, null, length);
    }

    static Response of(int status, String type, byte[] body) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", type);
      return new Response(status, headers, body, null, body.length);
    }

    /** A body of {@code length} bytes streamed from {@code source}. */
    static Response streamed(String type, Source source, long length) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", type);
      return new Response(200, headers, null, null, source, length);
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
      return new Response(status, more, body, file, stream, length);
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
  private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

  /** Which {@code Host} headers it answers; the rest get a 421. */
  private volatile Predicate<String> hostAllowed = host -> true;

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
            DaemonThreads.numbered(name + "-http-"));
    this.deadlines = Timers.daemon(name + "-http-deadline-");
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

  /** Answers only requests whose {@code Host} (its name, without the port) passes {@code test}. */
  void allowHosts(Predicate<String> test) {
    this.hostAllowed = test;
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
      String key = addressKey(peer);
      AtomicInteger count = perAddress.computeIfAbsent(key, a -> new AtomicInteger());
      if (count.incrementAndGet() > limits.perAddress()) {
        release(key, count);
        busy(socket);
        continue;
      }
      try {
        workers.execute(() -> serve(socket, peer, key, count));
      } catch (RejectedExecutionException full) {
        release(key, count);
        busy(socket);
      }
    }
  }

  private void release(String key, AtomicInteger count) {
    if (count.decrementAndGet() <= 0) {
      perAddress.remove(key, count);
    }
  }

  /** An IPv4 address, or the /64 of an IPv6 one: one host can use a whole /64. */
  static String addressKey(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return address.getHostAddress();
    }
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
    }
    return prefix.append(":/64").toString();
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

  private void serve(Socket socket, InetAddress peer, String key, AtomicInteger count) {
    Deadline deadline = new Deadline(socket);
    try (socket) {
      deadline.in(limits.headerMillis());
      socket.setSoTimeout((int) limits.headerMillis());
      socket.setTcpNoDelay(true);
      Head head = readHead(socket.getInputStream());
      if (head == null) {
        return;
      }
      Response response;
      if (head.line() == null) {
        response = Response.text(400, "this is an HTTP server: " + name + " speaks HTTP only");
      } else if (!hostAllowed.test(hostName(head.host()))) {
        response = Response.text(421, "this server answers only its own names, not " + head.host());
      } else {
        response = respond(head.line(), peer, head.host());
      }
      write(
          socket.getOutputStream(),
          response,
          head.line() != null && head.line()[0].equals("HEAD"),
          deadline);
    } catch (SocketException | java.net.SocketTimeoutException e) {
      log.debug("{}: {} was too slow or went away: {}", name, peer.getHostAddress(), e.toString());
    } catch (IOException | RuntimeException e) {
      log.debug("{}: request from {} failed: {}", name, peer.getHostAddress(), e.toString());
    } finally {
      deadline.cancel();
      release(key, count);
    }
  }

  /** The host of a {@code Host} header: without its port, lower case ({@code [::1]} kept). */
  static String hostName(String header) {
    String host = header.strip().toLowerCase(java.util.Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end > 0 ? host.substring(0, end + 1) : host;
    }
    int colon = host.indexOf(':');
    return colon >= 0 ? host.substring(0, colon) : host;
  }

  /** Closes a connection that does not move on in time; each step sets a new time. */
  private final class Deadline {
    private final Socket socket;
    private ScheduledFuture<?> alarm;

    Deadline(Socket socket) {
      this.socket = socket;
    }

    synchronized void in(long millis) {
      cancel();
      alarm = deadlines.schedule(() -> closeQuietly(socket), millis, TimeUnit.MILLISECONDS);
    }

    synchronized void cancel() {
      if (alarm != null) {
        alarm.cancel(false);
      }
    }
  }

  private Response respond(String[] requestLine, InetAddress peer, String host) throws IOException {
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
    return handler.handle(new Request(method, path, peer, host));
  }

  /** A request's head: its request line (null when it is not HTTP) and its Host header. */
  record Head(String[] line, String host) {}

  /**
   * Reads the request line and headers (only {@code Host} is kept), at most {@link
   * #MAX_HEADER_BYTES}.
   *
   * @return the head, or null when the peer went away or sent too much (closed unanswered)
   */
  private static Head readHead(InputStream in) throws IOException {
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
    List<String> lines = text.lines().toList();
    String[] parts = lines.get(0).strip().split(" ", -1);
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      return new Head(null, "");
    }
    String host = "";
    for (String line : lines.subList(1, lines.size())) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("host")) {
        host = line.substring(colon + 1).strip();
      }
    }
    return new Head(parts, host);
  }

  /** The bytes an answer may take per {@link #CHUNK} before the connection is closed. */
  private static final int CHUNK = 64 * 1024;

  private void write(OutputStream raw, Response response, boolean headOnly, Deadline deadline)
      throws IOException {
    long perChunkMillis = Math.max(2_000, 1000L * CHUNK / Math.max(1, limits.minBytesPerSecond()));
    deadline.in(perChunkMillis);
    OutputStream out = new BufferedOutputStream(raw, CHUNK);
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
          byte[] chunk = new byte[CHUNK];
          long copied = 0;
          for (int n; (n = in.read(chunk)) > 0; ) {
            out.write(chunk, 0, n);
            copied += n;
            deadline.in(perChunkMillis); // each chunk gets its own time: a rate, not a total
          }
          if (copied != response.length()) {
            throw new IOException(response.file() + " changed size while it was sent");
          }
        }
      } else if (response.stream() != null) {
        try (InputStream in = response.stream().open()) {
          byte[] chunk = new byte[CHUNK];
          for (int n; (n = in.read(chunk)) > 0; ) {
            out.write(chunk, 0, n);
            deadline.in(perChunkMillis);
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
      case 421 -> "Misdirected Request";
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
