package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.transport.MasterClientSocketFactory;
import org.rmiq.master.Master;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;

/**
 * The class code on the wire, with real JVMs: encrypted and tamper-proof by default, a fake master
 * refused, online guessing throttled per address, and the class token kept between masters so
 * waiting workers rejoin by themselves.
 */
class SecureTransportIT {
  private static final String TOKEN = "secure-transport-token-0123";
  private static final Duration EXIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  private JvmProcess master(String... args) throws IOException {
    return processes.in(dir).master(args);
  }

  private JvmProcess worker(String name, String... args) throws IOException {
    return processes.in(dir).worker(name, args);
  }

  @Test
  void aRelayOnThePathSeesNoTokenNoInputAndNoResult() throws Exception {
    String big = "987654321987654321";
    String square = new BigInteger(big).pow(2).toString();
    JvmProcess master = master("--port", "0", "--no-status", "square", "1..50," + big);
    int port = master.awaitMasterPort();
    try (Relay relay = new Relay(port)) {
      JvmProcess worker = worker("w", "127.0.0.1:" + relay.port(), "--exit-when-done");
      assertEquals(0, master.awaitExit(EXIT), master.stderr());
      assertEquals(0, worker.awaitExit(EXIT), worker.stderr());
      assertTrue(master.stdout().contains(big + " * " + big + " = " + square), master.stdout());
      String wire = relay.wire();
      assertTrue(wire.length() > 2000, "the traffic went through the relay");
      assertFalse(wire.contains(TOKEN), "the token crossed the wire");
      assertFalse(wire.contains(big), "an input crossed the wire in the clear");
      assertFalse(wire.contains(square), "a result crossed the wire in the clear");
      assertFalse(wire.contains("org.rmiq"), "class names are readable on the wire");
    }
  }

  @Test
  void aRelayThatRewritesBytesInFlightNeverMakesTheMasterCollectAWrongValue() throws Exception {
    JvmProcess master =
        master("--port", "0", "--no-status", "--out", "tampered.jsonl", "square", "1..300");
    int port = master.awaitMasterPort();
    try (Relay relay = new Relay(port)) {
      relay.tamper(3, 2500); // past the handshake: inside the encrypted calls
      JvmProcess worker = worker("w", "127.0.0.1:" + relay.port(), "--exit-when-done");
      assertEquals(0, master.awaitExit(EXIT), master.stderr() + worker.stderr());
      assertEquals(0, worker.awaitExit(EXIT), worker.stderr());
      assertTrue(relay.tampered() >= 1, "the relay rewrote nothing");
    }
    ObjectMapper json = new ObjectMapper();
    int rows = 0;
    for (String line : Files.readAllLines(dir.resolve("tampered.jsonl"))) {
      JsonNode row = json.readTree(line);
      long n = row.get("input").asLong();
      assertEquals(String.valueOf(n * n), row.get("value").asText(), line);
      rows++;
    }
    assertEquals(300, rows);
  }

  @Test
  void aMasterThatDoesNotKnowTheTokenIsRefusedWithExit3() throws Exception {
    try (Master fake =
        Master.builder().port(0).token(Token.of("a-master-with-another-token")).build().start()) {
      JvmProcess worker = worker("w", "127.0.0.1:" + fake.port());
      assertEquals(3, worker.awaitExit(Duration.ofSeconds(30)), worker.stderr());
      assertTrue(worker.stderr().contains("refused our token"), worker.stderr());
      assertTrue(worker.stderr().contains("token came from RMIQ_TOKEN"), worker.stderr());
    }
  }

  @Test
  void tenWrongCodesFromAnAddressThenACorrectWorkerThereJoinsWithin5s() throws Exception {
    JvmProcess master = master("--port", "0", "--status-port", "0", "sleep", "100x20");
    int port = master.awaitMasterPort();
    int statusPort = statusPort(master);
    ClientProfile guess = ClientProfile.of(new HostPort("127.0.0.1", port), Token.of("a-guess"));
    ExecutorService ten = Executors.newFixedThreadPool(10);
    try {
      List<Future<?>> tries = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        tries.add(
            ten.submit(
                () ->
                    assertThrows(
                        IOException.class,
                        () -> MasterClientSocketFactory.bootstrap(guess).createSocket("h", 1))));
      }
      for (Future<?> t : tries) {
        t.get(30, TimeUnit.SECONDS);
      }
    } finally {
      ten.shutdownNow();
    }
    assertTrue(apiStatus(statusPort).get("guessers").toString().contains("127.0.0.1"));

    JvmProcess worker = worker("w", "127.0.0.1:" + port, "--exit-when-done");
    await("the worker from the guessing address joins")
        .atMost(Duration.ofSeconds(5))
        .until(() -> apiStatus(statusPort).get("workers").size() == 1);
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    assertEquals(0, worker.awaitExit(EXIT), worker.stderr());
    assertTrue(master.stderr().contains("showed a wrong code"), master.stderr());
  }

  @Test
  void twoMastersInARowUseTheSameClassTokenAndAWaitingWorkerJoinsTheSecond() throws Exception {
    JvmProcess first =
        processes.track(
            JvmProcess.start(
                "first",
                dir,
                JvmProcess.masterJar(),
                null,
                "--port",
                "0",
                "--no-status",
                "square",
                "1..5"));
    int port = first.awaitMasterPort();
    String token = printedToken(first);
    assertTrue(token.matches("[a-z]{3,6}(-[a-z]{3,6}){3}"), token);
    JvmProcess worker =
        processes.track(
            JvmProcess.start("w", dir, JvmProcess.workerJar(), token, "127.0.0.1:" + port));
    assertEquals(0, first.awaitExit(EXIT), first.stderr());
    worker.awaitStderr("waiting for the next master", Duration.ofSeconds(30));

    JvmProcess second =
        processes.track(
            JvmProcess.start(
                "second",
                dir,
                JvmProcess.masterJar(),
                null,
                "--port",
                String.valueOf(port),
                "--no-status",
                "square",
                "6..10"));
    second.awaitMasterPort();
    assertEquals(token, printedToken(second), "the second master made another token");
    assertEquals(0, second.awaitExit(EXIT), second.stderr());
    assertTrue(second.stdout().contains("10 * 10 = 100"), second.stdout());
    assertTrue(worker.isAlive(), "the worker keeps waiting for the next master");
  }

  @Test
  void aShortHandChosenTokenWorks() throws Exception {
    JvmProcess master =
        processes.track(
            JvmProcess.start(
                "master",
                dir,
                JvmProcess.masterJar(),
                "lab42",
                "--port",
                "0",
                "--no-status",
                "square",
                "1..3"));
    int port = master.awaitMasterPort();
    JvmProcess worker =
        processes.track(
            JvmProcess.start(
                "w",
                dir,
                JvmProcess.workerJar(),
                "lab42",
                "127.0.0.1:" + port,
                "--exit-when-done"));
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    assertEquals(0, worker.awaitExit(EXIT), worker.stderr());
    assertTrue(master.stderr().contains("the token is shorter than 8 characters"), master.stderr());
  }

  /** The class token in the master's bash join command. */
  private static String printedToken(JvmProcess master) {
    master.awaitStderr("scripts/run-worker.sh", Duration.ofSeconds(30));
    Matcher m = Pattern.compile("RMIQ_TOKEN=(\\S+) scripts/run-worker.sh").matcher(master.stderr());
    assertTrue(m.find(), master.stderr());
    return m.group(1);
  }

  private static int statusPort(JvmProcess master) {
    master.awaitStderr("status page: http://", Duration.ofSeconds(30));
    Matcher m = Pattern.compile("status page: http://[^:]+:(\\d+)/").matcher(master.stderr());
    assertTrue(m.find(), master.stderr());
    return Integer.parseInt(m.group(1));
  }

  private static JsonNode apiStatus(int statusPort) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + "/api/status"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body());
  }
}
