package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lesson-long master ({@code --session}): workers join once, jobs come one after another from its
 * prompt (standard input here) and from {@code rmiq-submit}, and time counts only work.
 */
class SessionIT {
  private static final String TOKEN = "session-token-0123456789abcdef";
  private static final Duration EXIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private JvmProcess session() throws Exception {
    return processes.in(dir).master("--session", "--port", "0", "--status-port", "0");
  }

  private static int statusPort(JvmProcess master) {
    master.awaitStderr("status page: http://", Duration.ofSeconds(30));
    Matcher m = Pattern.compile("status page: http://[^:]+:(\\d+)/").matcher(master.stderr());
    assertTrue(m.find(), master.stderr());
    return Integer.parseInt(m.group(1));
  }

  private JvmProcess submit(String name, int port, String... job) throws Exception {
    return processes.submit(name, port, job);
  }

  private String get(int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void workersJoinOnceAndSubmittedJobsRunInTurnWithTheOneShotsExitCodes() throws Exception {
    JvmProcess master = session();
    int port = master.awaitMasterPort();
    int status = statusPort(master);
    JvmProcess w1 = processes.worker("w1", "127.0.0.1:" + port, "--name", "w1", "--threads", "2");
    JvmProcess w2 = processes.worker("w2", "127.0.0.1:" + port, "--name", "w2", "--threads", "2");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> master.stderr().contains("worker w2 joined"));

    // A long job, then two more submitted while it runs: they wait their turn.
    JvmProcess first = submit("first", port, "sleep", "300x60", "--out", "first.jsonl");
    first.awaitStderr("rmiq-submit: job 1", Duration.ofSeconds(30));
    JvmProcess second = submit("second", port, "square", "1..300", "--out", "second.csv");
    second.awaitStderr("rmiq-submit: job 2", Duration.ofSeconds(30));
    JvmProcess third = submit("third", port, "sum", "1..1000000", "--chunks", "4");
    third.awaitStderr("rmiq-submit: job 3", Duration.ofSeconds(30));
    JvmProcess bad = submit("bad", port, "square", "1..x");

    assertEquals(2, bad.awaitExit(EXIT), bad.stderr());
    assertTrue(bad.stderr().contains("'x' in '1..x' is not an integer"), bad.stderr());
    assertEquals(0, first.awaitExit(EXIT), first.stderr());
    assertEquals(0, second.awaitExit(EXIT), second.stderr());
    assertEquals(0, third.awaitExit(EXIT), third.stderr());
    assertTrue(second.stderr().contains("(queued behind 1 job(s))"), second.stderr());
    assertTrue(third.stderr().contains("(queued behind 2 job(s))"), third.stderr());
    assertEquals(60, Files.readAllLines(dir.resolve("first.jsonl")).size());
    assertEquals(301, Files.readAllLines(dir.resolve("second.csv")).size(), "header + 300 rows");
    assertTrue(third.stdout().contains("sum 1..1000000 = 500000500000"), third.stdout());
    assertTrue(second.stdout().contains("300 * 300 = 90000"), second.stdout());

    // In turn: job 2 started only after job 1 ended.
    String log = master.stderr();
    assertTrue(
        log.indexOf("job 1 finished") < log.indexOf("job 2 started"), "jobs overlapped:\n" + log);
    assertTrue(log.indexOf("job 2 finished") < log.indexOf("job 3 started"), log);

    // The workers joined once, and the status page lists every job, newest first.
    assertEquals(1, count(w1.stderr(), "joined master"), w1.stderr());
    assertEquals(1, count(w2.stderr(), "joined master"), w2.stderr());
    JsonNode jobs = json.readTree(get(status, "/api/status")).get("jobs");
    assertEquals(3, jobs.size(), jobs.toString());
    assertEquals(3, jobs.get(0).get("id").asInt());
    assertEquals(
        "sum 1..1000000 --chunks 4", jobs.get(0).get("spec").asText(), "as typed, options too");
    assertEquals("FINISHED", jobs.get(0).get("state").asText());
    assertEquals(4, jobs.get(0).get("submitted").asInt(), "the job's own --chunks 4 counts");
    assertEquals("sleep 300x60", jobs.get(2).get("spec").asText());
    assertEquals(60, jobs.get(2).get("submitted").asInt());
    assertEquals(60, jobs.get(2).get("succeeded").asInt());
    assertEquals(0, jobs.get(2).get("failed").asInt());
    assertTrue(jobs.get(2).get("workMillis").asLong() >= 1000, jobs.get(2).toString());
    assertEquals(2, jobs.get(2).get("workers").asInt());

    // Prometheus sees the same counters.
    String metrics = get(status, "/metrics");
    assertTrue(metrics.contains("rmiq_tasks{kind=\"square\",state=\"succeeded\"} 300.0"), metrics);
    assertTrue(metrics.contains("rmiq_jobs{state=\"finished\"} 3.0"), metrics);
    assertTrue(metrics.contains("rmiq_workers_connected 2.0"), metrics);
    assertTrue(
        metrics.contains("rmiq_worker_tasks_total{result=\"succeeded\",worker=\"w1\"}"), metrics);

    master.type("quit");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
  }

  @Test
  void ctrlCOnASubmitterCancelsItsJobAndTheWorkersDropItsTasks() throws Exception {
    JvmProcess master = session();
    int port = master.awaitMasterPort();
    int status = statusPort(master);
    processes.worker("w", "127.0.0.1:" + port, "--name", "w", "--threads", "2");
    JvmProcess long_ = submit("long", port, "sleep", "5000x20");
    long_.awaitStderr("rmiq-submit: job 1 ", Duration.ofSeconds(30));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> json.readTree(get(status, "/api/status")).get("leased").asInt() >= 2);
    long_.signal("INT");
    assertEquals(130, long_.awaitExit(EXIT), long_.stderr());
    assertTrue(long_.stderr().contains("cancelled at the master"), long_.stderr());
    // Withdrawn: nothing leased any more, well before a 5 s sleep could have ended.
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> json.readTree(get(status, "/api/status")).get("leased").asInt() == 0);
    JsonNode job = json.readTree(get(status, "/api/status")).get("jobs").get(0);
    assertEquals("CANCELLED", job.get("state").asText());
    // The next job runs at once on the same worker.
    JvmProcess next = submit("next", port, "square", "1..10");
    assertEquals(0, next.awaitExit(EXIT), next.stderr());
  }

  @Test
  void aSessionStaysUpWhenItsInputIsClosedAndStopsOnSigterm() throws Exception {
    JvmProcess master = session();
    int port = master.awaitMasterPort();
    int status = statusPort(master);
    master.closeStdin();
    processes.worker("w", "127.0.0.1:" + port, "--name", "w");
    JvmProcess job = submit("job", port, "square", "1..5");
    assertEquals(0, job.awaitExit(EXIT), job.stderr());
    assertTrue(master.isAlive(), "the session ended with its input:\n" + master.stderr());
    assertTrue(get(status, "/api/status").contains("\"jobs\""));
    master.signal("TERM");
    master.awaitExit(EXIT);
    assertTrue(master.stderr().contains("session ended"), master.stderr());
  }

  @Test
  void aJobTypedAtThePromptRunsLikeTheOneShotAndTheSessionEndsOnQuit() throws Exception {
    JvmProcess master = session();
    int port = master.awaitMasterPort();
    processes.worker("w", "127.0.0.1:" + port, "--name", "w", "--exit-when-done");
    master.type("square 1..4 --out typed.csv");
    master.awaitStderr("rmiq: 4 task(s): 4 ok", Duration.ofSeconds(30));
    assertTrue(master.stdout().contains("4 * 4 = 16  (w)"), master.stdout());
    master.type("cube 3");
    master.awaitStderr("unknown job 'cube'", Duration.ofSeconds(10));
    master.type("jobs");
    await().atMost(Duration.ofSeconds(10)).until(() -> master.stdout().contains("square 1..4"));
    master.type("quit");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    assertEquals(5, Files.readAllLines(dir.resolve("typed.csv")).size());
  }

  @Test
  void aWorkerArriving12sLateCountsOnlyTheWorkNotTheWait() throws Exception {
    JvmProcess master =
        processes.in(dir).master("--port", "0", "--timeout", "5s", "sleep", "100x10");
    int port = master.awaitMasterPort();
    master.awaitStderr("waiting for workers (0 joined)", Duration.ofSeconds(15));
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
    processes.worker("late", "127.0.0.1:" + port, "--threads", "2", "--exit-when-done");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    Matcher work = Pattern.compile("in ([\\d.]+) s of work").matcher(master.stderr());
    assertTrue(work.find(), master.stderr());
    double seconds = Double.parseDouble(work.group(1));
    assertTrue(seconds >= 0.5 && seconds < 3, "work time " + seconds + " s");
    Matcher waited =
        Pattern.compile("waited ([\\d.]+) s for the first worker").matcher(master.stderr());
    assertTrue(waited.find(), master.stderr());
    assertTrue(Double.parseDouble(waited.group(1)) >= 12, master.stderr());
  }

  @Test
  void aWorkerStartedBeforeItsMasterJoinsItWhenItComesUp() throws Exception {
    int port;
    try (var probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    JvmProcess early =
        processes
            .in(dir)
            .worker("early", "127.0.0.1:" + port, "--name", "early", "--exit-when-done");
    early.awaitStderr("waiting for a master", Duration.ofSeconds(30));
    await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
    JvmProcess master = processes.master("--port", Integer.toString(port), "square", "1..20");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    assertEquals(0, early.awaitExit(EXIT), early.stderr());
    assertEquals(20, master.stdout().lines().count(), master.stdout());
    assertEquals(1, count(early.stderr(), "waiting for a master"), "said once: " + early.stderr());
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
