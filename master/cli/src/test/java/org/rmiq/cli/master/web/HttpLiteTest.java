package org.rmiq.cli.master.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The small HTTP server against slow and greedy clients, on real sockets. */
class HttpLiteTest {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Socket> slow = new ArrayList<>();
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
  private HttpLite http;

  @AfterEach
  void close() throws Exception {
    trickle.shutdownNow();
    for (Socket s : slow) {
      s.close();
    }
    if (http != null) {
      http.close();
    }
  }

  private HttpLite start() throws Exception {
    http =
        HttpLite.start(
            InetAddress.getLoopbackAddress(),
            0,
            "test",
            HttpLite.Limits.DEFAULT,
            request -> HttpLite.Response.text(200, "hello " + request.path()));
    return http;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
            .timeout(Duration.ofSeconds(2))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A client that sends a request line, then one header byte now and then, never finishing. */
  private void slowClient(InetAddress from) throws Exception {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), http.port()));
    OutputStream out = socket.getOutputStream();
    out.write("GET / HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
    slow.add(socket);
    var unused =
        trickle.scheduleWithFixedDelay(
            () -> {
              try {
                out.write('a');
              } catch (Exception closed) {
                // the server gave up on it: as it should
              }
            },
            200,
            200,
            TimeUnit.MILLISECONDS);
  }

  @Test
  void thePageAnswersWhileSixteenClientsTrickleHeaderBytes() throws Exception {
    start();
    for (int i = 0; i < 16; i++) {
      slowClient(InetAddress.getByAddress(new byte[] {127, 0, 2, (byte) (i + 1)}));
    }
    for (int i = 0; i < 5; i++) {
      long begin = System.nanoTime();
      HttpResponse<String> r = get("/api/status");
      long millis = (System.nanoTime() - begin) / 1_000_000;
      assertEquals(200, r.statusCode());
      assertEquals("hello /api/status\n", r.body());
      assertTrue(millis < 1000, "answered after " + millis + " ms");
    }
  }

  @Test
  void oneAddressGetsAFewConnectionsAndTheRestA503AtOnce() throws Exception {
    start();
    InetAddress greedy = InetAddress.getByAddress(new byte[] {127, 0, 3, 1});
    for (int i = 0; i < HttpLite.Limits.DEFAULT.perAddress(); i++) {
      slowClient(greedy);
    }
    try (Socket extra = new Socket()) {
      extra.bind(new InetSocketAddress(greedy, 0));
      extra.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), http.port()));
      extra.setSoTimeout(2000);
      String answer =
          new String(extra.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
    }
    assertEquals(200, get("/").statusCode(), "other addresses are served");
  }

  @Test
  void aSlowClientIsCutOffAtTheHeaderDeadline() throws Exception {
    start();
    slowClient(InetAddress.getByAddress(new byte[] {127, 0, 4, 1}));
    Socket socket = slow.get(0);
    socket.setSoTimeout(15_000);
    long begin = System.nanoTime();
    int read = socket.getInputStream().read(); // the server closes it
    long millis = (System.nanoTime() - begin) / 1_000_000;
    assertEquals(-1, read);
    assertTrue(
        millis <= HttpLite.Limits.DEFAULT.headerMillis() + 1500, "closed after " + millis + " ms");
  }

  @Test
  void aPageAskedForUnderAForeignNameIsRefusedAsDnsRebindingWouldAskForIt() throws Exception {
    start();
    http.allowHosts(host -> host.equals("127.0.0.1") || host.equals("localhost"));
    assertEquals(200, get("/").statusCode());
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), http.port())) {
      socket
          .getOutputStream()
          .write(
              "GET / HTTP/1.1\r\nHost: evil.example:8080\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 421 "), answer);
    }
  }

  @Test
  void somethingThatIsNotHttpGetsA400AtOnceSoAWorkerAtTheWrongPortKnows() throws Exception {
    start();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), http.port())) {
      socket.setSoTimeout(1000);
      socket.getOutputStream().write(new byte[] {'R', 'M', 'I', 'Q', 4, 1, '\r', '\n', '\r', '\n'});
      byte[] start = socket.getInputStream().readNBytes(12);
      assertEquals("HTTP/1.1 400", new String(start, StandardCharsets.US_ASCII));
    }
  }

  @Test
  void aClientThatStopsReadingALargeAnswerIsCutOffPerChunkNotAfterTheWholeFile() throws Exception {
    Path big = Files.createTempFile("rmiq-big", ".bin");
    try {
      Files.write(big, new byte[32 << 20]);
      // One connection per address: while the reader that stopped holds it, others get a 503.
      http =
          HttpLite.start(
              InetAddress.getLoopbackAddress(),
              0,
              "test",
              new HttpLite.Limits(64, 1, 5_000, 64 * 1024),
              request ->
                  request.path().equals("/big")
                      ? HttpLite.Response.file("application/octet-stream", big)
                      : HttpLite.Response.text(200, "small"));
      Socket socket = new Socket();
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), http.port()));
      slow.add(socket);
      socket
          .getOutputStream()
          .write("GET /big HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      // It never reads. With a deadline for the whole answer (10 s + 32 MiB at 64 KiB/s) the slot
      // would stay taken for minutes; per chunk, it is free within a chunk's time (2 s).
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(8))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> get("/small").statusCode() == 200);
    } finally {
      Files.deleteIfExists(big);
    }
  }
}
