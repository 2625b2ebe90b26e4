package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session as a teacher runs it on a terminal: the prompt stays live while a job runs, a queued
 * job's clock starts when it runs, and a few long tasks spread over the class's free threads.
 */
class LiveSessionIT {
  private static final String TOKEN = "live-session-token-0123456789a";
  private static final Duration EXIT = Duration.ofSeconds(90);
  private static final Duration AT_ONCE = Duration.ofSeconds(1);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  private JvmProcess submit(String name, int port, String... job) throws Exception {
    return processes.submit(name, port, job);
  }

  /** Text that appears in the terminal's output after {@code from}, typed input excluded. */
  private static boolean printedAfter(JvmProcess terminal, int from, String text) {
    String all = terminal.stdout();
    return all.length() > from && all.substring(from).contains(text);
  }

  @Test
  void thePromptAnswersJobsStatusCancelAndANewJobWithinASecondWhileAJobRuns() throws Exception {
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
                "--no-status"));
    int port = master.awaitMasterPort();
    processes.in(dir).worker("w", "127.0.0.1:" + port, "--name", "w", "--threads", "2");
    await().atMost(Duration.ofSeconds(30)).until(() -> master.stdout().contains("w joined"));

    master.type("sleep 1000x40");
    await("job 1 runs")
        .atMost(Duration.ofSeconds(30))
        .until(() -> master.stdout().contains("job 1"));

    int mark = master.stdout().length();
    master.type("jobs");
    await("jobs answers").atMost(AT_ONCE).until(() -> printedAfter(master, mark, "as typed"));

    int mark2 = master.stdout().length();
    master.type("status");
    await("status answers")
        .atMost(AT_ONCE)
        .until(() -> printedAfter(master, mark2, "worker(s) connected"));

    int mark3 = master.stdout().length();
    master.type("square 1..5");
    await("a second job is queued at once")
        .atMost(AT_ONCE)
        .until(() -> printedAfter(master, mark3, "job 2"));

    int mark4 = master.stdout().length();
    master.type("cancel 1");
    await("cancel answers")
        .atMost(AT_ONCE)
        .until(() -> printedAfter(master, mark4, "job 1 cancelled"));

    await("job 2 runs after the cancelled one and ends")
        .atMost(EXIT)
        .until(() -> master.stdout().contains("5 task(s): 5 ok"));
    master.type("quit");
    assertEquals(0, master.awaitExit(EXIT), master.stdout());
  }

  @Test
  void aJobQueuedBehindALongOneWithATimeoutOf5sWaitsThenRunsAndExits0() throws Exception {
    JvmProcess master = processes.in(dir).master("--session", "--port", "0", "--no-status");
    int port = master.awaitMasterPort();
    processes.worker("w", "127.0.0.1:" + port, "--name", "w", "--threads", "1");
    await().atMost(Duration.ofSeconds(30)).until(() -> master.stderr().contains("w joined"));
    JvmProcess longJob = submit("long", port, "sleep", "1000x15");
    longJob.awaitStderr("rmiq-submit: job 1 ", Duration.ofSeconds(30));
    JvmProcess queued = submit("queued", port, "--timeout", "5s", "square", "1..5");
    queued.awaitStderr("queued behind", Duration.ofSeconds(30));
    assertEquals(0, queued.awaitExit(EXIT), queued.stderr());
    assertTrue(queued.stderr().contains("queued behind job 1"), queued.stderr());
    assertTrue(queued.stdout().contains("5 * 5 = 25"), queued.stdout());
    assertTrue(!queued.stderr().contains("waited"), "it never waited for a first worker");
    assertEquals(0, longJob.awaitExit(EXIT), longJob.stderr());
    master.type("quit");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
  }

  @Test
  void sixFiveSecondTasksOnThreeWorkersOfTwoThreadsTakeAboutFiveSeconds() throws Exception {
    JvmProcess master = processes.in(dir).master("--session", "--port", "0", "--no-status");
    int port = master.awaitMasterPort();
    for (String name : new String[] {"a", "b", "c"}) {
      processes.worker(name, "127.0.0.1:" + port, "--name", name, "--threads", "2");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                master.stderr().contains("3 worker(s)")
                    || (master.stderr().contains("a joined")
                        && master.stderr().contains("b joined")
                        && master.stderr().contains("c joined")));
    JvmProcess job = submit("six", port, "sleep", "5000x6");
    assertEquals(0, job.awaitExit(EXIT), job.stderr());
    Matcher work = Pattern.compile("in ([0-9.]+) s of work").matcher(job.stderr());
    assertTrue(work.find(), job.stderr());
    double seconds = Double.parseDouble(work.group(1));
    assertTrue(seconds <= 6.0, "sleep 5000x6 on 3 x 2 threads took " + seconds + " s of work");
    master.type("quit");
    assertEquals(0, master.awaitExit(EXIT), master.stderr());
  }
}
