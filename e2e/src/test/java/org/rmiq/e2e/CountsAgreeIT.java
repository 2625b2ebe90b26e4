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
import java.sql.DriverManager;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One count, the same everywhere: a job's ok, failed, cancelled and missing tasks add up to its
 * tasks, and the summary, the prompt's {@code jobs}, {@code /api/status} and the results file say
 * the same numbers, for jobs that fail, are cancelled, and resume after a Ctrl-C'd master.
 */
class CountsAgreeIT {
  private static final String TOKEN = "counts-token-0123456789abcdef";
  private static final Duration EXIT = Duration.ofMinutes(2);

  /** The summary line every job prints (one-shot, submitter, prompt). */
  private static final Pattern SUMMARY =
      Pattern.compile(
          "(\\d+) task\\(s\\): (\\d+) ok, (\\d+) failed, (\\d+) cancelled, (\\d+) missing");

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  /** Tasks, ok, failed, cancelled, missing. */
  record Counts(long tasks, long ok, long failed, long cancelled, long missing) {
    void addUp() {
      assertEquals(tasks, ok + failed + cancelled + missing, "the counts add up: " + this);
    }
  }

  private static Counts summary(String text) {
    Matcher m = SUMMARY.matcher(text);
    assertTrue(m.find(), "no summary in: " + text);
    return new Counts(
        Long.parseLong(m.group(1)),
        Long.parseLong(m.group(2)),
        Long.parseLong(m.group(3)),
        Long.parseLong(m.group(4)),
        Long.parseLong(m.group(5)));
  }

  /** A job's row in {@code /api/status}. */
  private Counts api(int statusPort, int id) throws Exception {
    JsonNode status = json.readTree(get(statusPort, "/api/status"));
    for (JsonNode job : status.get("jobs")) {
      if (job.get("id").asInt() == id) {
        return new Counts(
            job.get("submitted").asLong(),
            job.get("succeeded").asLong(),
            job.get("failed").asLong(),
            job.get("cancelled").asLong(),
            job.get("pending").asLong() + job.get("leased").asLong());
      }
    }
    throw new AssertionError("no job " + id + " in /api/status: " + status);
  }

  /** A job's row in the prompt's {@code jobs} table, the last one printed after {@code from}. */
  private static Counts jobsRow(String printed, int id) {
    Matcher m =
        Pattern.compile(
                "(?m)^\\s*"
                    + id
                    + "\\s+[a-z]+\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+[\\d.]+\\s")
            .matcher(printed);
    Counts last = null;
    while (m.find()) {
      last =
          new Counts(
              Long.parseLong(m.group(1)),
              Long.parseLong(m.group(2)),
              Long.parseLong(m.group(3)),
              Long.parseLong(m.group(4)),
              Long.parseLong(m.group(5)));
    }
    assertTrue(last != null, "no row for job " + id + " in: " + printed);
    return last;
  }

  private String get(int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private JvmProcess submit(String name, int port, String... job) throws Exception {
    return processes.submit(name, port, job);
  }

  @Test
  void aFailedAndACancelledJobShowTheSameCountsInTheSummaryTheJobsTableAndApiStatus()
      throws Exception {
    JvmProcess master =
        processes.track(
            JvmProcess.inTerminal(
                "master",
                Files.createDirectories(dir),
                JvmProcess.masterJar(),
                TOKEN,
                "--session",
                "--port",
                "0",
                "--status-port",
                "0"));
    processes.in(dir);
    int port = master.awaitMasterPort();
    master.awaitStderr("status page: http://", Duration.ofSeconds(30));
    Matcher page = Pattern.compile("status page: http://[^:]+:(\\d+)/").matcher(master.stderr());
    assertTrue(page.find(), master.stderr());
    int statusPort = Integer.parseInt(page.group(1));
    processes.track(
        JvmProcess.workerWithTestKinds(
            "w", dir, TOKEN, "127.0.0.1:" + port, "--name", "w", "--threads", "2"));
    await().atMost(Duration.ofSeconds(30)).until(() -> master.stdout().contains("w joined"));

    // Job 1 fails one task of four.
    JvmProcess failing =
        submit("failing", port, "--max-attempts", "1", "task", "poison-test", "a,b,poison,c");
    assertEquals(1, failing.awaitExit(EXIT), failing.stderr());
    Counts failed = summary(failing.stderr());
    assertEquals(new Counts(4, 3, 1, 0, 0), failed);

    // Job 2 is cancelled after a few results.
    JvmProcess cancelled = submit("cancelled", port, "sleep", "300x60");
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api(statusPort, 2).ok() >= 4);
    JvmProcess cancel = submit("cancel", port, "--cancel", "2");
    assertEquals(0, cancel.awaitExit(EXIT), cancel.stderr());
    cancelled.awaitExit(EXIT);
    Counts gone = summary(cancelled.stderr());
    gone.addUp();
    assertEquals(60, gone.tasks());
    assertTrue(gone.ok() >= 4 && gone.cancelled() > 0, gone.toString());
    assertEquals(0, gone.failed(), "a cancelled task is not a failed one: " + gone);

    // The page and the prompt say the same, once the job's last results are in.
    await().atMost(Duration.ofSeconds(10)).until(() -> api(statusPort, 2).missing() == 0);
    assertEquals(failed, api(statusPort, 1));
    assertEquals(gone, api(statusPort, 2));
    int mark = master.stdout().length();
    master.type("jobs");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> master.stdout().substring(mark).contains("poison-test"));
    String table = master.stdout().substring(mark);
    assertEquals(failed, jobsRow(table, 1));
    assertEquals(gone, jobsRow(table, 2));

    master.type("quit");
    assertEquals(0, master.awaitExit(EXIT), master.stdout());
  }

  @Test
  void ctrlCOnAMasterWithAJournalKeepsTheJobAndTheSameCommandFinishesItWithEveryResultOnce()
      throws Exception {
    String[] command = {
      "--port", "0", "--journal", "lab.db", "--out", "lab.jsonl", "sleep", "50x400"
    };
    JvmProcess first = processes.in(dir).master(command);
    int port = first.awaitMasterPort();
    processes.worker("w1", "127.0.0.1:" + port, "--threads", "2");
    processes.worker("w2", "127.0.0.1:" + port, "--threads", "2");
    await().atMost(Duration.ofSeconds(60)).until(() -> rows("lab.jsonl") >= 60);
    first.signal("INT");
    assertEquals(130, first.awaitExit(EXIT), first.stderr());
    assertTrue(first.stderr().contains("again to resume"), first.stderr());
    Counts stopped = summary(first.stderr());
    stopped.addUp();
    assertEquals(0, stopped.cancelled(), "kept to resume, not cancelled: " + stopped);
    long before = rows("lab.jsonl");
    assertEquals(stopped.ok(), before, "--out holds every result collected before the stop");

    // The same command, on another port (the workers of the lesson would re-join by themselves).
    command[1] = "0";
    JvmProcess again = processes.master(command);
    int port2 = again.awaitMasterPort();
    processes.worker("w3", "127.0.0.1:" + port2, "--threads", "4", "--exit-when-done");
    assertEquals(0, again.awaitExit(EXIT), again.stderr());
    assertEquals(new Counts(400, 400, 0, 0, 0), summary(again.stderr()));
    ResultsChecker.assertExactlyOnce(
        dir.resolve("lab.jsonl"), ResultsChecker.sameInput(400, "50"), v -> "slept " + v + " ms");
    try (var db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("lab.db"));
        var rs =
            db.createStatement().executeQuery("SELECT COUNT(*) FROM tasks WHERE status = 'ok'")) {
      rs.next();
      assertEquals(400, rs.getInt(1), "tasks recorded ok in the journal");
    }
  }

  private long rows(String file) throws Exception {
    return ResultsChecker.rows(dir.resolve(file));
  }
}
