package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download jobs end to end: a real master and real worker JVMs fetching from a real HTTP server on
 * loopback (the JDK's), files checked by SHA-256 on the workers and on the master, hostile answers
 * ending as clear failures, and downloads overlapping for speed.
 */
class DownloadIT {
  private static final String TOKEN = "download-token-0123456789abcdef";
  private static final Duration EXIT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  private HttpServer web;
  private final ExecutorService webThreads = Executors.newCachedThreadPool();

  /** The files the server offers under /img/, by name. */
  private final Map<String, byte[]> images = new HashMap<>();

  private final AtomicLong firstRequestNanos = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastAnswerNanos = new AtomicLong();

  @BeforeEach
  void startWebServer() throws IOException {
    Random random = new Random(7);
    int[] sizes = {0, 1, 1000, 70_000, 524_288, 1_300_000};
    for (int i = 0; i < 18; i++) {
      byte[] bytes = new byte[sizes[i % sizes.length] + i];
      random.nextBytes(bytes);
      images.put("photo-" + i + ".jpg", bytes);
    }
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    web.setExecutor(webThreads);
    web.createContext(
        "/img/",
        ex ->
            answer(
                ex,
                () -> {
                  byte[] body =
                      images.get(ex.getRequestURI().getPath().substring("/img/".length()));
                  send(ex, body == null ? 404 : 200, body == null ? new byte[0] : body);
                }));
    web.createContext(
        "/evil/",
        ex ->
            answer(
                ex, () -> send(ex, 200, "evil".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    web.createContext(
        "/report.pdf",
        ex ->
            answer(
                ex,
                () -> {
                  ex.getResponseHeaders()
                      .set("Content-Disposition", "attachment; filename=\"../../x\"");
                  send(ex, 200, "report".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }));
    web.createContext("/loop", ex -> answer(ex, () -> redirect(ex, "/loop")));
    web.createContext("/to-file", ex -> answer(ex, () -> redirect(ex, "file:///etc/passwd")));
    web.createContext(
        "/slow/",
        ex ->
            answer(
                ex,
                () -> {
                  firstRequestNanos.accumulateAndGet(System.nanoTime(), Math::min);
                  Thread.sleep(200); // the server under test answers slowly on purpose
                  send(
                      ex,
                      200,
                      ex.getRequestURI()
                          .getPath()
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                  lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max);
                }));
    web.start();
  }

  @AfterEach
  void stopWebServer() {
    web.stop(0);
    webThreads.shutdownNow();
  }

  private interface Answer {
    void run() throws Exception;
  }

  private static void answer(HttpExchange exchange, Answer answer) {
    try (exchange) {
      answer.run();
    } catch (Exception e) {
      // the client went away
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    ex.getResponseBody().write(body);
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(302, -1);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + web.getAddress().getPort() + path;
  }

  private static String sha256(Path file) throws IOException {
    return Hashing.sha256().hashBytes(Files.readAllBytes(file)).toString();
  }

  private static List<JsonNode> rows(Path jsonl) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(jsonl)) {
      rows.add(JSON.readTree(line));
    }
    return rows;
  }

  @Test
  void everyFileArrivesWithItsChecksumAndHostileAnswersFailClearly() throws Exception {
    int refusedPort;
    try (ServerSocket free = new ServerSocket(0)) {
      refusedPort = free.getLocalPort();
    }
    List<String> urls = new ArrayList<>();
    images.keySet().stream().sorted().forEach(name -> urls.add(url("/img/" + name)));
    urls.add(url("/img/missing.jpg"));
    urls.add(url("/evil/..%2F..%2Fx.txt"));
    urls.add(url("/report.pdf"));
    urls.add(url("/loop"));
    urls.add(url("/to-file"));
    urls.add("http://127.0.0.1:" + refusedPort + "/nothing-listens.jpg");
    Files.write(dir.resolve("urls.txt"), urls);

    JvmProcess master =
        processes
            .in(dir)
            .master(
                "--port",
                "0",
                "--max-attempts",
                "2",
                "--out",
                "results.jsonl",
                "--collect",
                "collected",
                "download",
                "@urls.txt");
    int port = master.awaitMasterPort();
    for (String w : List.of("w1", "w2")) {
      processes.worker(
          w,
          "localhost:" + port,
          "--name",
          w,
          "--download-dir",
          w,
          "--downloads",
          "4",
          "--threads",
          "1",
          "--allow-private-addresses", // the test's web servers listen on loopback
          "--exit-when-done");
    }
    assertEquals(1, master.awaitExit(EXIT), master.stderr()); // 1: some downloads failed

    Map<String, JsonNode> byUrl = new HashMap<>();
    for (JsonNode row : rows(dir.resolve("results.jsonl"))) {
      byUrl.put(row.get("input").asText(), row);
    }
    assertEquals(urls.size(), byUrl.size(), "every URL is in the results, ok or failed");
    for (Map.Entry<String, byte[]> image : images.entrySet()) {
      JsonNode row = byUrl.get(url("/img/" + image.getKey()));
      assertEquals("ok", row.get("status").asText(), row.toString());
      String expected = Hashing.sha256().hashBytes(image.getValue()).toString();
      JsonNode details = row.get("details");
      assertEquals(expected, details.get("sha256").asText());
      assertEquals(image.getValue().length, details.get("bytes").asLong());
      assertEquals("200", details.get("httpStatus").asText());
      String worker = row.get("worker").asText();
      assertEquals(expected, sha256(dir.resolve(worker).resolve(row.get("value").asText())));
      assertEquals(
          expected, sha256(dir.resolve("collected").resolve(details.get("collected").asText())));
    }
    assertEquals("_.._x.txt", byUrl.get(url("/evil/..%2F..%2Fx.txt")).get("value").asText());
    assertEquals("report.pdf", byUrl.get(url("/report.pdf")).get("value").asText());
    assertFailed(byUrl.get(url("/img/missing.jpg")), 1, ": HTTP 404; not retried");
    assertFailed(byUrl.get(url("/loop")), 1, "more than 5 redirects");
    assertFailed(
        byUrl.get(url("/to-file")), 1, "only http and https URLs are downloaded, not file:");
    assertFailed(
        byUrl.get("http://127.0.0.1:" + refusedPort + "/nothing-listens.jpg"),
        2,
        "connection refused by 127.0.0.1:" + refusedPort);

    try (Stream<Path> all = Files.walk(dir)) {
      List<String> names = all.map(p -> p.getFileName().toString()).toList();
      assertFalse(names.contains("x"), "no file named by Content-Disposition: " + names);
      assertTrue(names.stream().noneMatch(n -> n.endsWith(".part")), "no half-written file");
    }
    try (Stream<Path> top = Files.list(dir.getParent())) {
      assertTrue(top.noneMatch(p -> p.getFileName().toString().equals("x.txt")));
    }
  }

  private static void assertFailed(JsonNode row, int attempts, String error) {
    assertEquals("failed", row.get("status").asText(), row.toString());
    assertEquals(attempts, row.get("attempts").asInt(), row.toString());
    assertTrue(row.get("error").asText().contains(error), row.toString());
    assertTrue(
        row.get("error").asText().contains(row.get("input").asText()),
        "the error names the URL: " + row);
  }

  @Test
  void twoWorkersOverlapTheirDownloads() throws Exception {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      urls.add(url("/slow/" + i));
    }
    Files.write(dir.resolve("slow.txt"), urls);
    JvmProcess master = processes.in(dir).master("--port", "0", "download", "@slow.txt");
    int port = master.awaitMasterPort();
    for (String w : List.of("w1", "w2")) {
      processes.worker(
          w,
          "localhost:" + port,
          "--download-dir",
          w,
          "--downloads",
          "8",
          "--threads",
          "1",
          "--allow-private-addresses", // the test's web servers listen on loopback
          "--exit-when-done");
    }
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    double seconds = (lastAnswerNanos.get() - firstRequestNanos.get()) / 1e9;
    double sequential = 64 * 0.2;
    System.out.printf(
        "64 downloads of 200 ms: %.2f s (sequential %.1f s, ideal 0.8 s)%n", seconds, sequential);
    assertTrue(seconds < sequential / 2, "took " + seconds + " s");
  }

  @Test
  void theMasterServesAFolderForAClassWithoutInternet() throws Exception {
    Path site = Files.createDirectories(dir.resolve("site"));
    Files.write(site.resolve("cat.jpg"), images.get("photo-3.jpg"));
    Files.write(site.resolve("dog picture.png"), images.get("photo-5.jpg"));
    Files.writeString(site.resolve(".hidden"), "not served");
    JvmProcess master =
        processes
            .in(dir)
            .master(
                "--port",
                "0",
                "--serve",
                "site",
                "--serve-port",
                "0",
                "--host",
                "127.0.0.1",
                "--collect",
                "got",
                "--out",
                "r.jsonl",
                "download");
    int port = master.awaitMasterPort();
    processes.worker("w", "localhost:" + port, "--download-dir", "w", "--exit-when-done");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    assertEquals(sha256(site.resolve("cat.jpg")), sha256(dir.resolve("got/cat.jpg")));
    assertEquals(
        sha256(site.resolve("dog picture.png")), sha256(dir.resolve("got/dog picture.png")));
    assertEquals(2, rows(dir.resolve("r.jsonl")).size());
    assertTrue(
        master.stderr().contains("serving " + site.toRealPath() + " at http://127.0.0.1:"),
        master.stderr());
  }

  @Test
  void aMalformedLineIsRefusedWithItsNumberBeforeAnythingStarts() throws Exception {
    Files.write(
        dir.resolve("urls.txt"), List.of("# list", url("/img/photo-1.jpg"), "ftp://example.com/x"));
    JvmProcess master = processes.in(dir).master("--port", "0", "download", "@urls.txt");
    assertEquals(2, master.awaitExit(EXIT), master.stderr());
    assertTrue(
        master
            .stderr()
            .contains(
                "urls.txt line 3: 'ftp://example.com/x': only http and"
                    + " https URLs are downloaded, not ftp:"),
        master.stderr());
    assertTrue(master.stderr().contains("give --skip-bad-lines"), master.stderr());
  }
}
