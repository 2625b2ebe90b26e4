package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults with real processes: workers killed, frozen or cut off, a master killed and restarted.
 * Each run's results are checked for lost, duplicated and wrong entries.
 */
class FaultToleranceIT {
  private static final String TOKEN = "fault-token-0123456789abcdef";
  private static final Duration EXIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  private JvmProcess master(String... args) throws IOException {
    return processes.in(dir).master(args);
  }

  private JvmProcess worker(String name, String... args) throws IOException {
    return processes.in(dir).worker(name, args);
  }

  private JvmProcess track(JvmProcess p) {
    return processes.track(p);
  }

  private static void signal(JvmProcess p, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + p.pid());
  }

  private long rows(String file) throws IOException {
    Path out = dir.resolve(file);
    return Files.exists(out) ? Files.readAllLines(out).size() : 0;
  }

  @Test
  void aWorkerKilledMidJobLosesNothing() throws Exception {
    JvmProcess master =
        master("--port", "0", "--lease", "2s", "--out", "kill.jsonl", "sleep", "200x40");
    int port = master.awaitMasterPort();
    JvmProcess victim = worker("victim", "localhost:" + port, "--threads", "2", "--name", "victim");
    JvmProcess survivor =
        worker(
            "survivor",
            "localhost:" + port,
            "--threads",
            "2",
            "--name",
            "survivor",
            "--exit-when-done");
    await().atMost(Duration.ofSeconds(30)).until(() -> master.stdout().contains("(victim)"));

    ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly(); // SIGKILL

    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    assertEquals(0, survivor.awaitExit(EXIT), survivor.stderr());
    var counts =
        ResultsChecker.assertExactlyOnce(
            dir.resolve("kill.jsonl"),
            ResultsChecker.sameInput(40, "200"),
            FaultToleranceIT::slept);
    assertTrue(counts.retried() > 0, "the victim's tasks were handed out again: " + counts);
  }

  @Test
  void aFrozenWorkersLateResultsAreDiscardedNotDuplicated() throws Exception {
    JvmProcess master =
        master("--port", "0", "--lease", "2s", "--out", "stop.jsonl", "sleep", "300x40");
    int port = master.awaitMasterPort();
    JvmProcess frozen =
        worker(
            "frozen",
            "localhost:" + port,
            "--threads",
            "2",
            "--name",
            "frozen",
            "--exit-when-done");
    await().atMost(Duration.ofSeconds(30)).until(() -> master.stdout().contains("(frozen)"));
    signal(frozen, "STOP");
    JvmProcess other =
        worker(
            "other", "localhost:" + port, "--threads", "2", "--name", "other", "--exit-when-done");
    // Wait until the other worker has completed tasks the frozen one still holds.
    await().atMost(Duration.ofSeconds(30)).until(() -> retriedRows("stop.jsonl") >= 2);
    signal(frozen, "CONT");

    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    assertEquals(0, other.awaitExit(EXIT), other.stderr());
    assertTrue(
        master.stderr().contains("late or duplicate result(s) from frozen"), master.stderr());
    ResultsChecker.assertExactlyOnce(
        dir.resolve("stop.jsonl"), ResultsChecker.sameInput(40, "300"), FaultToleranceIT::slept);
  }

  @Test
  void aFrozenWorkerHoldingTasksDoesNotHoldUpTheJobOnceOthersAreIdle() throws Exception {
    // Default settings: the frozen worker's link would expire only after the 10 s lease.
    JvmProcess master = master("--port", "0", "--out", "held.jsonl", "sleep", "300x20");
    int port = master.awaitMasterPort();
    JvmProcess frozen = worker("frozen", "localhost:" + port, "--threads", "2", "--name", "frozen");
    await().atMost(Duration.ofSeconds(30)).until(() -> master.stdout().contains("(frozen)"));
    signal(frozen, "STOP");
    long stopped = System.nanoTime();
    try {
      JvmProcess other =
          worker(
              "other",
              "localhost:" + port,
              "--threads",
              "2",
              "--name",
              "other",
              "--exit-when-done");
      assertEquals(0, master.awaitExit(EXIT), master.stderr());
      long seconds = (System.nanoTime() - stopped) / 1_000_000_000;
      assertTrue(seconds < 9, "the job waited " + seconds + " s for the frozen worker's lease");
      assertEquals(0, other.awaitExit(EXIT), other.stderr());
    } finally {
      signal(frozen, "CONT");
    }
    ResultsChecker.assertExactlyOnce(
        dir.resolve("held.jsonl"), ResultsChecker.sameInput(20, "300"), FaultToleranceIT::slept);
  }

  @Test
  void aMasterKilledTwiceWithAJournalResumesAndWorkersRejoinByThemselves() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String[] command = {
      "--port",
      Integer.toString(port),
      "--journal",
      "job.db",
      "--out",
      "journal.jsonl",
      "sleep",
      "20x600"
    };
    JvmProcess first = master(command);
    first.awaitMasterPort();
    JvmProcess w1 = worker("w1", "localhost:" + port, "--threads", "2", "--exit-when-done");
    JvmProcess w2 = worker("w2", "localhost:" + port, "--threads", "2", "--exit-when-done");
    await().atMost(Duration.ofSeconds(60)).until(() -> rows("journal.jsonl") >= 100);
    ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
    first.awaitExit(Duration.ofSeconds(10));

    JvmProcess second = master(command);
    second.awaitMasterPort();
    long restored = rows("journal.jsonl");
    await().atMost(Duration.ofSeconds(60)).until(() -> rows("journal.jsonl") >= restored + 150);
    ProcessHandle.of(second.pid()).orElseThrow().destroyForcibly(); // mid-batch, most likely
    second.awaitExit(Duration.ofSeconds(10));
    assertIntact(dir.resolve("job.db"));

    JvmProcess third = master(command);
    assertEquals(0, third.awaitExit(EXIT), third.stderr());
    assertEquals(0, w1.awaitExit(EXIT), w1.stderr());
    assertEquals(0, w2.awaitExit(EXIT), w2.stderr());
    assertTrue(w1.stderr().contains("reconnected to the master at"), w1.stderr());
    assertOk(dir.resolve("job.db"), 600);
    ResultsChecker.assertExactlyOnce(
        dir.resolve("journal.jsonl"), ResultsChecker.sameInput(600, "20"), FaultToleranceIT::slept);
  }

  @Test
  void aPoisonTaskEndsInTheDeadLettersAfterEveryAttemptWhileTheRestCompletes() throws Exception {
    JvmProcess master =
        master(
            "--port",
            "0",
            "--max-attempts",
            "3",
            "--out",
            "poison.jsonl",
            "--journal",
            "poison.db",
            "task",
            "poison-test",
            "a,b,poison,c");
    int port = master.awaitMasterPort();
    JvmProcess worker =
        track(
            JvmProcess.workerWithTestKinds(
                "w", dir, TOKEN, "localhost:" + port, "--exit-when-done"));

    assertEquals(1, master.awaitExit(EXIT), master.stderr());
    assertEquals(0, worker.awaitExit(EXIT), worker.stderr());
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(dir.resolve("poison.jsonl"))) {
      JsonNode row = json.readTree(line);
      if (row.get("input").asText().equals("poison")) {
        assertEquals("failed", row.get("status").asText());
        assertEquals(3, row.get("attempts").asInt());
        assertEquals("IllegalStateException: this input always fails", row.get("error").asText());
      } else {
        assertEquals(row.get("input").asText(), row.get("value").asText());
      }
    }
    assertEquals(4, rows("poison.jsonl"));
    assertTrue(
        master
            .stderr()
            .contains(
                "task 3 poison-test poison after 3 attempt(s):"
                    + " IllegalStateException: this input always fails"),
        master.stderr());

    // retry-failed runs only the dead letter again; the others keep their results.
    JvmProcess retry =
        master(
            "--port",
            "0",
            "--max-attempts",
            "1",
            "--out",
            "retry.jsonl",
            "--journal",
            "poison.db",
            "retry-failed");
    int retryPort = retry.awaitMasterPort();
    JvmProcess again =
        track(
            JvmProcess.workerWithTestKinds(
                "again", dir, TOKEN, "localhost:" + retryPort, "--exit-when-done", "-v"));
    assertEquals(1, retry.awaitExit(EXIT), retry.stderr());
    assertEquals(0, again.awaitExit(EXIT), again.stderr());
    assertTrue(
        retry.stderr().contains("retry 1 failed task(s) of: task poison-test a,b,poison,c"),
        retry.stderr());
    assertEquals(4, rows("retry.jsonl"));
    assertTrue(again.stderr().contains("(poison-test poison) -> failed"), again.stderr());
    assertTrue(!again.stderr().contains("poison-test a)"), "only the failed task ran again");
  }

  @Test
  void aWorkerCutOffByTheNetworkTimesOutAndItsTasksGoToAnother() throws Exception {
    JvmProcess master =
        master("--port", "0", "--lease", "2s", "--out", "cut.jsonl", "sleep", "200x30");
    int port = master.awaitMasterPort();
    try (Relay proxy = new Relay(port)) {
      JvmProcess cut =
          worker(
              "cut",
              "127.0.0.1:" + proxy.port(),
              "--threads",
              "2",
              "--call-timeout",
              "2s",
              "--name",
              "cut");
      await().atMost(Duration.ofSeconds(30)).until(() -> master.stdout().contains("(cut)"));
      proxy.blackHole();
      JvmProcess other = worker("other", "localhost:" + port, "--threads", "2", "--exit-when-done");

      assertEquals(0, master.awaitExit(EXIT), master.stderr());
      assertEquals(0, other.awaitExit(EXIT), other.stderr());
      // Its calls end with a timeout instead of hanging forever.
      cut.awaitStderr("timed out", Duration.ofSeconds(30));
      assertTrue(cut.isAlive(), "it keeps trying to reconnect");
    }
    ResultsChecker.assertExactlyOnce(
        dir.resolve("cut.jsonl"), ResultsChecker.sameInput(30, "200"), FaultToleranceIT::slept);
  }

  @Test
  void aWorkerWhoseConnectionsAreResetMidCallKeepsItsLinkAndItsResults() throws Exception {
    JvmProcess master = master("--session", "--port", "0", "--no-status", "--lease", "20s");
    int port = master.awaitMasterPort();
    try (Relay roam = new Relay(port)) {
      worker("roamer", "127.0.0.1:" + roam.port(), "--threads", "2", "--name", "roamer");
      await().atMost(Duration.ofSeconds(30)).until(() -> master.stderr().contains(" joined from "));
      // An idle worker waits inside the master for work (a long poll): a reset now cuts a call in
      // flight, as a Wi-Fi roam would; the next connections go through.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> roam.callWaitingFor(Duration.ofMillis(300).toNanos()));
      int before = roam.connections();
      roam.cutAll();
      await().atMost(Duration.ofSeconds(30)).until(() -> roam.connections() > before);

      JvmProcess job = processes.submit("job", port, "--out", "reset.jsonl", "sleep", "200x20");
      assertEquals(0, job.awaitExit(EXIT), job.stderr());
      // The worker connected again and the master kept its link (the lease still ran): no second
      // join, the same session ran the job, nothing expired, nothing ran twice.
      assertEquals(
          1,
          master.stderr().lines().filter(l -> l.contains(" joined from ")).count(),
          master.stderr());
      assertTrue(!master.stderr().contains("stopped answering"), master.stderr());
    }
    ResultsChecker.assertExactlyOnce(
        dir.resolve("reset.jsonl"), ResultsChecker.sameInput(20, "200"), FaultToleranceIT::slept);
  }

  @Test
  void ctrlCOnAWorkerHandsItsTasksBackAtOnce() throws Exception {
    JvmProcess master =
        master("--port", "0", "--lease", "5m", "--out", "int.jsonl", "sleep", "1000x8");
    int port = master.awaitMasterPort();
    JvmProcess first = worker("first", "localhost:" + port, "--threads", "2");
    await().atMost(Duration.ofSeconds(30)).until(() -> first.stderr().contains("joined master"));
    signal(first, "INT");
    assertEquals(0, first.awaitExit(Duration.ofSeconds(30)), first.stderr());
    JvmProcess second = worker("second", "localhost:" + port, "--threads", "8", "--exit-when-done");
    // Well before the 5-minute lease: the tasks came back when the first worker left.
    assertEquals(0, master.awaitExit(Duration.ofSeconds(30)), master.stderr());
    assertEquals(0, second.awaitExit(EXIT), second.stderr());
    ResultsChecker.assertExactlyOnce(
        dir.resolve("int.jsonl"), ResultsChecker.sameInput(8, "1000"), FaultToleranceIT::slept);
  }

  private long retriedRows(String file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    long n = 0;
    Path out = dir.resolve(file);
    if (Files.exists(out)) {
      for (String line : Files.readAllLines(out)) {
        if (json.readTree(line).get("attempts").asInt() > 1) {
          n++;
        }
      }
    }
    return n;
  }

  /** Every task in the journal ended ok. */
  private static void assertOk(Path db, int tasks) throws Exception {
    try (var connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        var rs =
            connection
                .createStatement()
                .executeQuery("SELECT COUNT(*) FROM tasks WHERE status = 'ok'")) {
      rs.next();
      assertEquals(tasks, rs.getInt(1), "tasks recorded ok in the journal");
    }
  }

  private static void assertIntact(Path db) throws Exception {
    try (var connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        var rs = connection.createStatement().executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertEquals("ok", rs.getString(1));
    }
  }

  /** What a sleep task's value is for its input. */
  private static String slept(String millis) {
    return "slept " + millis + " ms";
  }
}
