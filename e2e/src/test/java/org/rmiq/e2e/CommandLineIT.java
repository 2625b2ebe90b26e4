package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The master and worker commands as a user runs them: separate JVMs from the built jars. */
class CommandLineIT {
  private static final String TOKEN = "e2e-token-0123456789abcdef";
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  private JvmProcess master(String token, String... args) throws Exception {
    return track(JvmProcess.start("master", dir, JvmProcess.masterJar(), token, args));
  }

  private JvmProcess master(String token, List<String> jvmArgs, String... args) throws Exception {
    return track(JvmProcess.start("master", dir, JvmProcess.masterJar(), token, jvmArgs, args));
  }

  private JvmProcess worker(String name, String token, String... args) throws Exception {
    return track(JvmProcess.start(name, dir, JvmProcess.workerJar(), token, args));
  }

  private JvmProcess track(JvmProcess p) {
    return processes.track(p);
  }

  @Test
  void twoWorkersSquareEveryNumberExactlyOnceAndExactly() throws Exception {
    JvmProcess master =
        master(
            TOKEN,
            "--port",
            "0",
            "--out",
            "results.jsonl",
            "square",
            "1..2000,-7,123456789012345678901234567890");
    int port = master.awaitMasterPort();
    JvmProcess w1 = worker("w1", TOKEN, "localhost:" + port, "--name", "w1", "--exit-when-done");
    JvmProcess w2 = worker("w2", TOKEN, "localhost:" + port, "--name", "w2", "--exit-when-done");

    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    // 2,002 squares take one worker well under a second: the other may start after the master
    // finished, and then (as any worker started before its master) it waits for the next one.
    int joined = 0;
    for (JvmProcess w : List.of(w1, w2)) {
      if (w.stderr().contains("joined master")) {
        assertEquals(0, w.awaitExit(EXIT), w.stderr());
        joined++;
      }
    }
    assertTrue(joined >= 1, w1.stderr() + w2.stderr());

    Map<String, String> squares = new HashMap<>();
    Map<String, Integer> perWorker = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(dir.resolve("results.jsonl"))) {
      JsonNode row = json.readTree(line);
      assertEquals("ok", row.get("status").asText(), line);
      String previous = squares.put(row.get("input").asText(), row.get("value").asText());
      assertEquals(null, previous, "input reported twice: " + line);
      perWorker.merge(row.get("worker").asText(), 1, Integer::sum);
    }
    assertEquals(2002, squares.size());
    for (int n = 1; n <= 2000; n++) {
      assertEquals(String.valueOf((long) n * n), squares.get(String.valueOf(n)));
    }
    assertEquals("49", squares.get("-7"));
    BigInteger big = new BigInteger("123456789012345678901234567890");
    assertEquals(big.multiply(big).toString(), squares.get(big.toString()));
    assertEquals(2002, master.stdout().lines().count(), "one stdout line per result");
    assertTrue(master.stdout().contains("-7 * -7 = 49  (w"), master.stdout());
    // Squares take microseconds, so whichever worker joins first may take them all in a few
    // batches; sharing is checked with sleep jobs (the fault tests, the fairness benchmark).
    assertEquals(2002, perWorker.values().stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void workerReachesMasterAtTheAddressGivenWhateverHostItsStubsName() throws Exception {
    // Plain RMI would dial the stub's host and fail; rmiq dials the address the user typed.
    JvmProcess master =
        master(
            TOKEN,
            List.of("-Djava.rmi.server.hostname=stub-host-that-does-not-resolve.invalid"),
            "--port",
            "0",
            "square",
            "1..5");
    int port = master.awaitMasterPort();
    JvmProcess worker = worker("w", TOKEN, "127.0.0.1:" + port, "--exit-when-done");

    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    assertEquals(0, worker.awaitExit(EXIT), worker.stderr());
  }

  @Test
  void wrongTokenWorkerExits3AtOnceAndTheMasterGoesOnServing() throws Exception {
    JvmProcess master = master(TOKEN, "--port", "0", "square", "1..20");
    int port = master.awaitMasterPort();

    JvmProcess intruder = worker("intruder", "not-the-token-at-all", "localhost:" + port);
    assertEquals(3, intruder.awaitExit(Duration.ofSeconds(30)), intruder.stderr());
    assertTrue(intruder.stderr().contains("refused our token"), intruder.stderr());
    assertTrue(!intruder.stderr().contains(TOKEN) && !master.stderr().contains(TOKEN));

    JvmProcess worker = worker("w", TOKEN, "localhost:" + port, "--exit-when-done");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    assertEquals(0, worker.awaitExit(EXIT), worker.stderr());
    assertEquals(20, master.stdout().lines().count());
  }

  @Test
  void plainRmiClientWithoutTheTokenCannotListTheRegistry() throws Exception {
    JvmProcess master = master(TOKEN, "--port", "0", "--timeout", "60s", "square", "1..3");
    int port = master.awaitMasterPort();

    var registry = LocateRegistry.getRegistry("127.0.0.1", port);
    Exception refused = assertThrows(java.rmi.RemoteException.class, registry::list);
    assertTrue(
        refused.getMessage().contains("non-JRMP server")
            || refused instanceof java.rmi.ConnectIOException,
        refused.toString());
    assertTrue(master.isAlive());
  }

  @Test
  void noWorkerWithinWaitForWorkersIsExit3SayingHowToStartOne() throws Exception {
    // --timeout does not run while nobody has joined; --wait-for-workers bounds that wait.
    JvmProcess master =
        master(
            TOKEN, "--port", "0", "--timeout", "1s", "--wait-for-workers", "2s", "square", "1..5");

    assertEquals(3, master.awaitExit(Duration.ofSeconds(30)), master.stderr());
    assertTrue(
        master.stderr().contains("no worker joined within 2s (--wait-for-workers)"),
        master.stderr());
    assertTrue(master.stderr().contains("5 missing"), master.stderr());
  }

  @Test
  void aJobTooBigForTheHeapIsExit2SayingWhichHeapWouldDoNotAnOutOfMemoryError() throws Exception {
    // Room for the inputs, not for the tasks: the plan refuses the job before any task is made.
    JvmProcess master =
        master(TOKEN, List.of("-Xmx160m"), "--port", "0", "--no-status", "square", "1..1000000");
    assertEquals(2, master.awaitExit(Duration.ofSeconds(60)), master.stderr());
    assertTrue(
        master.stderr().contains("a job of 1,000,000 tasks needs about 0.3 GiB of the master's"),
        master.stderr());
    assertTrue(master.stderr().contains("RMIQ_JAVA_OPTS=-Xmx2g"), master.stderr());
    assertNoStackTrace(master);
    // A range is kept as a range: even a tiny heap gets the plan's sentence, with its size.
    JvmProcess tiny =
        master(TOKEN, List.of("-Xmx24m"), "--port", "0", "--no-status", "square", "1..3000000");
    assertEquals(2, tiny.awaitExit(Duration.ofSeconds(60)), tiny.stderr());
    assertTrue(
        tiny.stderr().contains("a job of 3,000,000 tasks needs about 0.8 GiB of the master's"),
        tiny.stderr());
    assertTrue(tiny.stderr().matches("(?s).*its heap of \\d+ MiB keeps \\d+ MiB.*"), tiny.stderr());
    assertNoStackTrace(tiny);
    // Not even room for the inputs (a list, spelled out as it is read): a sentence too.
    JvmProcess full =
        master(TOKEN, List.of("-Xmx24m"), "--port", "0", "--no-status", "square", "1..3000000,7");
    assertEquals(2, full.awaitExit(Duration.ofSeconds(60)), full.stderr());
    assertTrue(
        full.stderr().contains("the job's inputs do not fit this master's heap"), full.stderr());
    assertNoStackTrace(full);
  }

  private static void assertNoStackTrace(JvmProcess p) {
    assertFalse(p.stderr().contains("OutOfMemoryError"), p.stderr());
    assertFalse(p.stderr().contains("\tat "), p.stderr());
  }

  @Test
  void badInputIsExit2NamingTheValueBeforeAnythingListens() throws Exception {
    assertUsageError(master(TOKEN, "square", "1..x"), "'x' in '1..x' is not an integer");
    assertUsageError(master(TOKEN, "square", "abc"), "'abc' is not an integer");
    assertUsageError(master(TOKEN, "--port", "99999"), "--port 99999 is not a TCP port");
    assertUsageError(master(TOKEN, "square", "@missing.txt"), "missing.txt does not exist");
    assertUsageError(master(TOKEN, "--timeout", "10", "square", "1"), "'10' is not a duration");
    assertUsageError(worker("w", TOKEN, "not-a-host-port"), "'not-a-host-port' has no port");
    assertUsageError(worker("w", null, "localhost:5000"), "no token: set RMIQ_TOKEN");
  }

  @Test
  void aMasterThatNeverComesIsExit4AfterConnectTimeoutNamingTheAddress() throws Exception {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    JvmProcess worker = worker("w", TOKEN, "127.0.0.1:" + closedPort, "--connect-timeout", "2s");
    assertEquals(4, worker.awaitExit(Duration.ofSeconds(30)), worker.stderr());
    assertTrue(
        worker
            .stderr()
            .contains(
                "cannot reach the master at 127.0.0.1:" + closedPort + " (connection refused)"),
        worker.stderr());
    assertTrue(worker.stderr().contains("gave up after 2s (--connect-timeout)"), worker.stderr());
  }

  @Test
  void portInUseIsExit4SayingWhatToDo() throws Exception {
    try (var taken = new java.net.ServerSocket(0)) {
      JvmProcess master = master(TOKEN, "--port", String.valueOf(taken.getLocalPort()));
      assertEquals(4, master.awaitExit(Duration.ofSeconds(30)), master.stderr());
      assertTrue(
          master.stderr().contains("port " + taken.getLocalPort() + " is already in use"),
          master.stderr());
      assertTrue(master.stderr().contains("--port"), master.stderr());
    }
  }

  @Test
  void sigtermOnAWorkerFinishesWhatRunsHandsBackTheRestAndExits0() throws Exception {
    JvmProcess master = master(TOKEN, "--port", "0", "--lease", "5m", "sleep", "1500x6");
    int port = master.awaitMasterPort();
    JvmProcess first = worker("first", TOKEN, "localhost:" + port, "--threads", "1");
    await().atMost(Duration.ofSeconds(30)).until(() -> first.stderr().contains("joined master"));

    ProcessHandle.of(first.pid()).orElseThrow().destroy(); // SIGTERM
    assertEquals(0, first.awaitExit(Duration.ofSeconds(30)), first.stderr());

    // The tasks it held come back at once (the lease is 5 minutes): another worker finishes.
    JvmProcess second =
        worker("second", TOKEN, "localhost:" + port, "--threads", "6", "--exit-when-done");
    assertEquals(0, master.awaitExit(Duration.ofSeconds(30)), master.stderr());
    assertEquals(0, second.awaitExit(EXIT), second.stderr());
    assertEquals(6, master.stdout().lines().count(), master.stdout());
  }

  @Test
  void aStoppedMasterSaysWhatWasCollectedAndKeepsItInTheOutFile() throws Exception {
    JvmProcess master = master(TOKEN, "--port", "0", "--out", "partial.jsonl", "sleep", "300x40");
    int port = master.awaitMasterPort();
    worker("w", TOKEN, "localhost:" + port, "--threads", "2");
    await().atMost(Duration.ofSeconds(30)).until(() -> master.stdout().lines().count() >= 2);

    ProcessHandle.of(master.pid()).orElseThrow().destroy(); // SIGTERM; Ctrl-C runs the same hook
    master.awaitExit(Duration.ofSeconds(30));

    var said =
        java.util.regex.Pattern.compile("interrupted: 40 task\\(s\\): (\\d+) ok")
            .matcher(master.stderr());
    assertTrue(said.find(), master.stderr());
    long collected = Long.parseLong(said.group(1));
    assertEquals(collected, Files.readAllLines(dir.resolve("partial.jsonl")).size());
    assertTrue(collected < 40);
  }

  private static void assertUsageError(JvmProcess p, String message) throws Exception {
    assertEquals(2, p.awaitExit(Duration.ofSeconds(30)), p.stderr());
    assertTrue(p.stderr().contains(message), "expected '" + message + "' in:\n" + p.stderr());
    assertTrue(!p.stderr().contains("listening"), p.stderr());
  }
}
