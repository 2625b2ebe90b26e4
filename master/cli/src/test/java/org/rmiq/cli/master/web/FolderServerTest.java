package org.rmiq.cli.master.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderServerTest {
  @TempDir Path dir;
  private final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<String> get(FolderServer server, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The raw request line, so the JDK client cannot normalize {@code ..} away first. */
  private static String rawStatus(FolderServer server, String path) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String response =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return response.substring(0, response.indexOf("\r\n"));
    }
  }

  @Test
  void servesTheFolderAndNothingBeyondIt() throws Exception {
    Path served = Files.createDirectories(dir.resolve("images"));
    Files.writeString(served.resolve("a b.txt"), "hello");
    Files.createDirectories(served.resolve("sub"));
    Files.writeString(served.resolve("sub/c.txt"), "deep");
    Files.writeString(served.resolve(".secret"), "hidden");
    Files.writeString(dir.resolve("outside.txt"), "private");
    Files.createSymbolicLink(served.resolve("link.txt"), dir.resolve("outside.txt"));
    try (FolderServer server = FolderServer.start(served, InetAddress.getLoopbackAddress(), 0)) {
      assertEquals(List.of("/a%20b.txt", "/sub/c.txt"), server.filePaths());
      assertEquals("hello", get(server, "/a%20b.txt").body());
      assertEquals("deep", get(server, "/sub/c.txt").body());
      assertTrue(get(server, "/").body().contains("<a href=\"/a%20b.txt\">a b.txt</a>"));
      assertEquals(404, get(server, "/.secret").statusCode());
      assertEquals(404, get(server, "/link.txt").statusCode());
      assertEquals("HTTP/1.1 404 Not Found", rawStatus(server, "/../outside.txt"));
      assertEquals("HTTP/1.1 404 Not Found", rawStatus(server, "/sub/%2e%2e/%2e%2e/outside.txt"));
      assertEquals(
          405,
          client
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/a%20b.txt"))
                      .DELETE()
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode());
    }
  }

  @Test
  void aLinkToAHiddenFileInsideIsNotServedAndListingsShowNoLinksOrSpecialFiles() throws Exception {
    Path served = Files.createDirectories(dir.resolve("site"));
    Files.createDirectories(served.resolve(".git"));
    Files.writeString(served.resolve(".git/config"), "[remote] url = secret");
    Files.writeString(served.resolve("page.txt"), "public");
    Files.createSymbolicLink(served.resolve("config"), served.resolve(".git/config"));
    Files.createSymbolicLink(served.resolve("repo"), served.resolve(".git"));
    Files.createSymbolicLink(served.resolve("alias.txt"), served.resolve("page.txt"));
    boolean fifo =
        new ProcessBuilder("mkfifo", served.resolve("pipe").toString()).start().waitFor() == 0;
    try (FolderServer server = FolderServer.start(served, InetAddress.getLoopbackAddress(), 0)) {
      assertEquals(404, get(server, "/config").statusCode());
      assertEquals(404, get(server, "/repo/config").statusCode());
      assertEquals(404, get(server, "/repo/").statusCode());
      assertEquals("public", get(server, "/alias.txt").body(), "a link inside, to a plain file");
      String listing = get(server, "/").body();
      assertTrue(listing.contains("page.txt"), listing);
      for (String hidden : List.of("config", "repo", "alias.txt", "pipe", ".git")) {
        assertFalse(listing.contains(">" + hidden), hidden + " listed:\n" + listing);
      }
      if (fifo) {
        assertEquals(404, get(server, "/pipe").statusCode(), "a FIFO would hang the server");
      }
      HttpResponse<String> page = get(server, "/page.txt");
      assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    }
  }
}
