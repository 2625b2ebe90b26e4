package org.rmiq.worker.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.api.BadInputException;
import org.rmiq.api.TaskAnswer;
import org.rmiq.api.TaskDeclinedException;
import org.rmiq.api.TaskFailedException;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/**
 * The download handler against a real HTTP server on loopback: good files arrive whole with the
 * right SHA-256, and each hostile answer ends as a clear failure or a safe file, with nothing
 * written outside the download folder and nothing half-written inside it.
 */
class DownloadHandlerTest {
  private static final byte[] PHOTO = randomBytes(300_000);

  @TempDir Path root;
  private Path folder;
  private Path outside;
  private WebServer web;

  @BeforeEach
  void setUp() throws IOException {
    folder = root.resolve("downloads");
    outside = Files.createDirectories(root.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "untouched");
    web =
        WebServer.http()
            .on("/photo.jpg", ex -> WebServer.send(ex, 200, PHOTO))
            .on("/files/", ex -> WebServer.send(ex, 200, "a file".getBytes(StandardCharsets.UTF_8)))
            .on(
                "/report.pdf",
                ex -> {
                  ex.getResponseHeaders()
                      .set("Content-Disposition", "attachment; filename=\"../../x\"");
                  WebServer.send(ex, 200, "report".getBytes(StandardCharsets.UTF_8));
                })
            .on("/loop", ex -> WebServer.redirect(ex, 302, "/loop"))
            .on("/to-file", ex -> WebServer.redirect(ex, 302, "file:///etc/passwd"))
            .on("/moved", ex -> WebServer.redirect(ex, 301, "/photo.jpg"))
            .on("/missing", ex -> WebServer.send(ex, 404, "no".getBytes(StandardCharsets.UTF_8)))
            .on("/busy", ex -> WebServer.send(ex, 503, "later".getBytes(StandardCharsets.UTF_8)))
            .on(
                "/endless",
                ex -> {
                  ex.sendResponseHeaders(200, 0); // chunked: no Content-Length to check up front
                  OutputStream body = ex.getResponseBody();
                  byte[] block = new byte[64 * 1024];
                  for (int i = 0; i < 1000; i++) {
                    body.write(block);
                  }
                })
            .on(
                "/announced-huge",
                ex -> {
                  ex.sendResponseHeaders(200, 50L << 20);
                  ex.getResponseBody().write(new byte[1024]);
                })
            .on(
                "/trickle",
                ex -> {
                  ex.sendResponseHeaders(200, 100);
                  for (int i = 0; i < 100; i++) {
                    ex.getResponseBody().write('x');
                    ex.getResponseBody().flush();
                    sleepQuietly(
                        1000); // the server under test is slow on purpose: 1 byte per second
                  }
                });
  }

  @AfterEach
  void tearDown() throws IOException {
    web.close();
    try (Stream<Path> entries = Files.list(root)) {
      assertTrue(
          entries
              .map(p -> p.getFileName().toString())
              .allMatch(n -> List.of("downloads", "outside", "tls").contains(n)),
          "nothing written outside the download folder");
    }
    try (Stream<Path> entries = Files.list(outside)) {
      assertEquals(1, entries.count());
    }
    assertEquals("untouched", Files.readString(outside.resolve("keep.txt")));
    if (Files.exists(folder)) {
      try (Stream<Path> entries = Files.list(folder)) {
        assertTrue(
            entries.noneMatch(p -> p.getFileName().toString().startsWith(".")),
            "no temporary file left behind");
      }
    }
  }

  private DownloadHandler handler() {
    return handler(DownloadSettings.defaults());
  }

  /** A handler that may fetch from this test's own servers, which listen on loopback. */
  private DownloadHandler handler(DownloadSettings settings) {
    return new DownloadHandler(settings.withFolder(folder).withAllowPrivateAddresses(true));
  }

  /** A handler with the default rule: public addresses only. */
  private DownloadHandler publicOnly() {
    return new DownloadHandler(DownloadSettings.defaults().withFolder(folder));
  }

  @Test
  void internalAddressesAreRefusedInEverySpellingUnlessAllowed() throws Exception {
    int port = web.url("/photo.jpg").getPort();
    for (String host :
        new String[] {"127.0.0.1", "localhost", "2130706433", "[::ffff:127.0.0.1]", "[::1]"}) {
      String url = "http://" + host + ":" + port + "/photo.jpg";
      TaskDeclinedException e =
          assertThrows(TaskDeclinedException.class, () -> publicOnly().answer(url));
      assertTrue(e.getMessage().contains("loopback address"), e.getMessage());
      assertTrue(
          e.getMessage().contains(SettingNames.of(Setting.ALLOW_PRIVATE_ADDRESSES)),
          e.getMessage());
    }
    assertEquals("photo.jpg", handler().answer(web.url("/photo.jpg").toString()).value());
  }

  @Test
  void theMastersOwnServeAddressIsAllowedButARedirectFromItToElsewhereIsNot() throws Exception {
    DownloadHandler served = publicOnly();
    URI photo = web.url("/photo.jpg");
    served.allowServed(java.util.List.of(photo.getHost() + ":" + photo.getPort()));
    assertEquals("photo.jpg", served.answer(photo.toString()).value());
    web.on(
        "/elsewhere",
        ex -> WebServer.redirect(ex, 302, "http://localhost:" + photo.getPort() + "/photo.jpg"));
    String url = web.url("/elsewhere").toString();
    TaskDeclinedException e = assertThrows(TaskDeclinedException.class, () -> served.answer(url));
    assertTrue(e.getMessage().contains("its redirect to http://localhost:"), e.getMessage());
    assertTrue(e.getMessage().contains("a loopback address"), e.getMessage());
  }

  @Test
  void everyKindOfInternalAddressIsNamed() throws Exception {
    java.util.Map<String, String> kinds = new java.util.LinkedHashMap<>();
    kinds.put("10.1.2.3", "private");
    kinds.put("172.16.0.1", "private");
    kinds.put("192.168.1.20", "private");
    kinds.put("100.64.0.1", "carrier-grade NAT");
    kinds.put("169.254.169.254", "link-local");
    kinds.put("224.0.0.1", "multicast");
    kinds.put("0.0.0.0", "unspecified");
    kinds.put("fd00::1", "unique-local");
    kinds.put("fe80::1", "link-local");
    kinds.put("2002:7f00:1::", "loopback");
    kinds.put("64:ff9b::a00:1", "private");
    kinds.forEach(
        (address, kind) -> {
          try {
            assertEquals(kind, AddressPolicy.internal(java.net.InetAddress.getByName(address)));
          } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
          }
        });
    assertEquals(null, AddressPolicy.internal(java.net.InetAddress.getByName("8.8.8.8")));
    assertEquals(null, AddressPolicy.internal(java.net.InetAddress.getByName("2001:4860::8888")));
  }

  @Test
  void savesTheFileWithItsChecksumAndDetails() throws Exception {
    TaskAnswer answer = handler().answer(web.url("/photo.jpg").toString());
    assertEquals("photo.jpg", answer.value());
    assertArrayEquals(PHOTO, Files.readAllBytes(folder.resolve("photo.jpg")));
    assertEquals(folder.toRealPath().resolve("photo.jpg"), answer.file());
    assertEquals(Long.toString(PHOTO.length), answer.details().get("bytes"));
    assertEquals(Hashing.sha256().hashBytes(PHOTO).toString(), answer.details().get("sha256"));
    assertEquals("200", answer.details().get("httpStatus"));
    assertEquals(web.url("/photo.jpg").toString(), answer.details().get("finalUrl"));
    assertTrue(answer.details().containsKey("contentType"));
  }

  @Test
  void aSecondDownloadOfTheSameNameGetsASuffix() throws Exception {
    assertEquals("photo.jpg", handler().answer(web.url("/photo.jpg").toString()).value());
    assertEquals("photo-1.jpg", handler().answer(web.url("/photo.jpg").toString()).value());
  }

  @Test
  void dotsAndEncodedSlashesInTheNameStayInsideTheFolder() throws Exception {
    TaskAnswer answer = handler().answer(web.url("/files/..%2F..%2Fevil.txt").toString());
    assertEquals("_.._evil.txt", answer.value());
    assertTrue(Files.isRegularFile(folder.resolve("_.._evil.txt")));
    assertEquals("index", handler().answer(web.url("/files/..%2F%2e%2e/index").toString()).value());
  }

  @Test
  void contentDispositionIsNeverUsedForTheName() throws Exception {
    assertEquals("report.pdf", handler().answer(web.url("/report.pdf").toString()).value());
    try (Stream<Path> entries = Files.list(folder)) {
      assertEquals(List.of("report.pdf"), entries.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void aSymbolicLinkInTheFolderIsNotWrittenThrough() throws Exception {
    Files.createDirectories(folder);
    Files.createSymbolicLink(folder.resolve("photo.jpg"), outside.resolve("keep.txt"));
    assertEquals("photo-1.jpg", handler().answer(web.url("/photo.jpg").toString()).value());
    assertArrayEquals(PHOTO, Files.readAllBytes(folder.resolve("photo-1.jpg")));
  }

  @Test
  void followsARedirectAndReportsTheFinalUrl() throws Exception {
    TaskAnswer answer = handler().answer(web.url("/moved").toString());
    assertEquals("moved", answer.value()); // named after the URL asked for, not the redirect
    assertEquals(web.url("/photo.jpg").toString(), answer.details().get("finalUrl"));
  }

  @Test
  void aRedirectLoopStopsAfterFiveHops() {
    BadInputException e =
        assertThrows(BadInputException.class, () -> handler().answer(web.url("/loop").toString()));
    assertTrue(e.getMessage().contains("more than 5 redirects"), e.getMessage());
    assertTrue(e.getMessage().startsWith(web.url("/loop").toString()), e.getMessage());
  }

  @Test
  void aRedirectToAFileUrlIsRefused() {
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> handler().answer(web.url("/to-file").toString()));
    assertTrue(
        e.getMessage().contains("only http and https URLs are downloaded, not file:"),
        e.getMessage());
  }

  @Test
  void aRedirectFromHttpsToHttpIsRefused() throws Exception {
    SelfSignedTls tls = new SelfSignedTls(Files.createDirectories(root.resolve("tls")));
    URI plain = web.url("/photo.jpg");
    try (WebServer secure =
        WebServer.https(tls.server)
            .on("/secure.jpg", ex -> WebServer.send(ex, 200, PHOTO))
            .on("/downgrade", ex -> WebServer.redirect(ex, 302, plain.toString()))) {
      DownloadHandler trusting = handler(DownloadSettings.defaults().withTls(tls.client));
      assertEquals("secure.jpg", trusting.answer(secure.url("/secure.jpg").toString()).value());
      BadInputException e =
          assertThrows(
              BadInputException.class, () -> trusting.answer(secure.url("/downgrade").toString()));
      assertTrue(e.getMessage().contains("redirect from https to http refused"), e.getMessage());
    }
  }

  @Test
  void aBodyOverTheCapWithoutContentLengthIsStoppedWhileStreaming() {
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                handler(DownloadSettings.defaults().withMaxBytes(1 << 20))
                    .answer(web.url("/endless").toString()));
    assertTrue(
        e.getMessage()
            .contains(
                "passed the limit of 1048576 bytes (" + SettingNames.of(Setting.MAX_BYTES) + ")"),
        e.getMessage());
  }

  @Test
  void anAnnouncedBodyOverTheCapIsRefusedBeforeReading() {
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                handler(DownloadSettings.defaults().withMaxBytes(1 << 20))
                    .answer(web.url("/announced-huge").toString()));
    assertTrue(e.getMessage().contains("announced 52428800 bytes"), e.getMessage());
  }

  @Test
  void aTricklingServerHitsTheDownloadTimeout() {
    long start = System.nanoTime();
    TaskFailedException e =
        assertThrows(
            TaskFailedException.class,
            () ->
                handler(DownloadSettings.defaults().withTimeout(Duration.ofSeconds(2)))
                    .answer(web.url("/trickle").toString()));
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    assertTrue(
        e.getMessage()
            .contains("not finished within 2s (" + SettingNames.of(Setting.DOWNLOAD_TIMEOUT) + ")"),
        e.getMessage());
    assertTrue(seconds < 10, "stopped at the deadline, not at the end of the body: " + seconds);
  }

  @Test
  void notFoundFailsForGoodAndServerErrorsAreRetryable() {
    BadInputException missing =
        assertThrows(
            BadInputException.class, () -> handler().answer(web.url("/missing").toString()));
    assertEquals(web.url("/missing") + ": HTTP 404; not retried", missing.getMessage());
    TaskFailedException busy =
        assertThrows(
            TaskFailedException.class, () -> handler().answer(web.url("/busy").toString()));
    assertEquals(web.url("/busy") + ": HTTP 503", busy.getMessage());
  }

  @Test
  void aRefusedPortIsARetryableFailureNamingTheAddress() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/x.jpg";
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> handler().answer(url));
    assertTrue(
        e.getMessage().startsWith(url + ": connection refused by 127.0.0.1:" + port),
        e.getMessage());
  }

  @Test
  void badUrlsAreRefusedBeforeAnyRequest() {
    for (String bad :
        List.of(
            "ftp://host/x",
            "file:///etc/passwd",
            "http://user:pw@host/x",
            "not a url",
            "/relative/path",
            "jar:file:/x.jar!/a")) {
      assertThrows(BadInputException.class, () -> handler().answer(bad), bad);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(42).nextBytes(bytes);
    return bytes;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
