package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Steps of docs/lab.md, run as written, with the outcomes the lab promises. */
class LabStepsIT {
  private static final String TOKEN = "lab-steps-token-0123456789abc";
  private static final Duration EXIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  /**
   * Step 5: the hostile URL on the local network goes to the volunteer who allows private
   * addresses, every time — the other worker's refusal is not an attempt — ten times in a row.
   */
  @Test
  void step5TheLocalUrlReachesTheVolunteerTenTimesInARow() throws Exception {
    HttpServer web =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext(
        "/",
        exchange -> {
          byte[] body = "secret".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    web.start();
    try {
      JvmProcess master = processes.in(dir).master("--session", "--port", "0", "--no-status");
      int port = master.awaitMasterPort();
      processes.worker("strict", "127.0.0.1:" + port, "--name", "strict");
      processes.worker(
          "volunteer", "127.0.0.1:" + port, "--name", "volunteer", "--allow-private-addresses");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  master.stderr().contains("strict joined")
                      && master.stderr().contains("volunteer joined"));
      Files.writeString(
          dir.resolve("hostile.txt"),
          "http://127.0.0.1:" + web.getAddress().getPort() + "/..%2F..%2Fsecret\n");
      ObjectMapper json = new ObjectMapper();
      for (int round = 1; round <= 10; round++) {
        String out = "round-" + round + ".jsonl";
        JvmProcess submit =
            processes.start(
                "round-" + round,
                JvmProcess.masterJar(),
                "submit",
                "127.0.0.1:" + port,
                "--out",
                out,
                "download",
                "@hostile.txt");
        assertEquals(0, submit.awaitExit(EXIT), "round " + round + ": " + submit.stderr());
        JsonNode row = json.readTree(Files.readAllLines(dir.resolve(out)).get(0));
        assertEquals("ok", row.get("status").asText(), row.toString());
        assertEquals("volunteer", row.get("worker").asText(), row.toString());
        assertEquals(1, row.get("attempts").asInt(), "a refusal is not an attempt: " + row);
      }
      assertTrue(Files.exists(dir.resolve("downloads")), "the volunteer saved inside downloads/");
      master.type("quit");
      assertEquals(0, master.awaitExit(EXIT), master.stderr());
    } finally {
      web.stop(0);
    }
  }
}
