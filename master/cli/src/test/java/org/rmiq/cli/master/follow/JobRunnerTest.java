package org.rmiq.cli.master.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.cli.master.ExitCodes;
import org.rmiq.cli.master.job.JobKinds;
import org.rmiq.cli.master.job.JobOptions;
import org.rmiq.report.JobProgress;
import org.rmiq.report.TaskOutcome;
import picocli.CommandLine;

/**
 * How a job is followed, on a clock the feed moves: each poll of the feed is a quarter second, so
 * waits of minutes take microseconds and every clock rule is exact.
 */
class JobRunnerTest {
  @TempDir Path dir;

  private final AtomicLong now = new AtomicLong();
  private final Ticker ticker =
      new Ticker() {
        @Override
        public long read() {
          return now.get();
        }
      };
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AtomicBoolean stop = new AtomicBoolean();

  /** One state of the job as the feed reports it for one poll. */
  private record Step(
      String state, JobProgress progress, List<TaskOutcome> outcomes, List<String> notices) {
    Step(String state, JobProgress progress, List<TaskOutcome> outcomes) {
      this(state, progress, outcomes, List.of());
    }
  }

  /** A feed that plays its steps, one per poll, each a quarter second on the test's clock. */
  private final class ScriptedFeed implements JobFeed {
    private final Deque<Step> steps = new ArrayDeque<>();
    private Step current;

    ScriptedFeed(List<Step> script) {
      steps.addAll(script);
      current = steps.peekFirst();
    }

    @Override
    public List<TaskOutcome> next(int max, Duration wait) {
      now.addAndGet(Duration.ofMillis(250).toNanos());
      if (steps.size() > 1) {
        current = steps.pollFirst();
      } else {
        current = steps.peekFirst();
      }
      return current.outcomes();
    }

    @Override
    public JobProgress progress() {
      return current.progress();
    }

    @Override
    public String state() {
      return current.state();
    }

    @Override
    public String waitingBehind() {
      return "job 7 (sleep 1000x240, 60 % done)";
    }

    @Override
    public boolean isDrained() {
      return (current.state().equals("FINISHED") || current.state().equals("CANCELLED"))
          && steps.size() <= 1;
    }

    @Override
    public List<String> notices() {
      return current.notices();
    }

    @Override
    public void cancel(String reason) {
      throw new AssertionError("the runner never cancels: its caller does");
    }
  }

  private static JobProgress progress(
      long tasks, long ok, long failed, long cancelled, int workers, long workMillis) {
    long missing = tasks - ok - failed - cancelled;
    return new JobProgress(
        tasks,
        ok,
        failed,
        cancelled,
        missing,
        0,
        workers,
        workers > 0,
        Duration.ofMillis(workMillis),
        Duration.ZERO);
  }

  private static TaskOutcome ok(long id, String input, String value) {
    return new TaskOutcome(
        id, 1, "square", input, TaskOutcome.State.OK, value, null, "alice", 1, 2, Map.of());
  }

  private static TaskOutcome failed(long id) {
    return new TaskOutcome(
        id, 1, "square", "x", TaskOutcome.State.FAILED, null, "boom", "bob", 3, 2, Map.of());
  }

  private static TaskOutcome cancelled(long id) {
    return new TaskOutcome(
        id, 1, "square", "y", TaskOutcome.State.CANCELLED, null, "cancelled", "-", 1, 0, Map.of());
  }

  private static JobOptions options(String... words) {
    JobOptions options = new JobOptions();
    new CommandLine(options.model()).parseArgs(words);
    return options;
  }

  private int run(ScriptedFeed feed, JobOptions options, Path outFile) throws Exception {
    return new JobRunner(
            feed,
            JobKinds.describe("square 1..3"),
            options,
            new JobRunner.Output(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                true,
                false,
                outFile,
                "scripts/run-worker.sh host:5000",
                "run-master"),
            stop,
            ticker)
        .run(List.of());
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aJobThatFinishesPrintsEachResultAndASummaryWhoseCountsAddUp() throws Exception {
    ScriptedFeed feed =
        new ScriptedFeed(
            List.of(
                new Step("RUNNING", progress(3, 1, 0, 0, 1, 100), List.of(ok(1, "1", "1"))),
                new Step(
                    "FINISHED",
                    progress(3, 3, 0, 0, 1, 300),
                    List.of(ok(2, "2", "4"), ok(3, "3", "9"))),
                new Step("FINISHED", progress(3, 3, 0, 0, 1, 300), List.of())));
    assertEquals(ExitCodes.OK, run(feed, options(), null));
    String results = out.toString(StandardCharsets.UTF_8);
    assertTrue(results.contains("3 * 3 = 9"), results);
    assertTrue(
        err().contains("rmiq: 3 task(s): 3 ok, 0 failed, 0 cancelled, 0 missing, in 0.30 s"),
        err());
  }

  @Test
  void aQueuedJobNeverTimesOutAndSaysWhatItWaitsBehindEveryTenSeconds() throws Exception {
    List<Step> script = new ArrayList<>();
    for (int i = 0; i < 4 * 60; i++) { // a minute in the queue
      script.add(new Step("QUEUED", progress(1, 0, 0, 0, 3, 0), List.of()));
    }
    script.add(new Step("FINISHED", progress(1, 1, 0, 0, 3, 10), List.of(ok(1, "2", "4"))));
    script.add(new Step("FINISHED", progress(1, 1, 0, 0, 3, 10), List.of()));
    int code = run(new ScriptedFeed(script), options("--timeout", "5s"), null);
    assertEquals(ExitCodes.OK, code, err());
    assertTrue(err().contains("queued behind job 7 (sleep 1000x240, 60 % done)"), err());
    long lines = err().lines().filter(l -> l.contains("queued behind")).count();
    assertTrue(lines >= 5 && lines <= 6, "a line every 10 s for a minute: " + lines);
  }

  @Test
  void aQueueTimeoutBoundsTheWaitAndNamesTheJobInFront() throws Exception {
    List<Step> script = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      script.add(new Step("QUEUED", progress(1, 0, 0, 0, 3, 0), List.of()));
    }
    int code = run(new ScriptedFeed(script), options("--queue-timeout", "30s"), null);
    assertEquals(ExitCodes.TIMED_OUT, code);
    assertTrue(
        err().contains("gave up after waiting 30s in the queue (--queue-timeout) behind job 7"),
        err());
  }

  @Test
  void theTimeoutCountsOnlyWhileItRunsWithWorkersConnected() throws Exception {
    List<Step> script = new ArrayList<>();
    for (int i = 0; i < 200; i++) { // 50 s with no worker: waiting, not timing out
      script.add(new Step("RUNNING", progress(2, 0, 0, 0, 0, 0), List.of()));
    }
    for (int i = 0; i < 100; i++) { // then 25 s with a worker and no result
      script.add(new Step("RUNNING", progress(2, 0, 0, 0, 1, 0), List.of()));
    }
    int code = run(new ScriptedFeed(script), options("--timeout", "20s"), null);
    assertEquals(ExitCodes.TIMED_OUT, code);
    assertTrue(err().contains("waiting for workers (0 joined); start one:"), err());
    assertTrue(err().contains("timed out: no result arrived for 20s while its tasks ran"), err());
    assertEquals(70.0, now.get() / 1e9, 0.5, "gave up 20 s after the worker came, at 70 s");
  }

  @Test
  void waitForWorkersGivesUpWhenNobodyJoins() throws Exception {
    List<Step> script = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      script.add(new Step("RUNNING", progress(1, 0, 0, 0, 0, 0), List.of()));
    }
    int code = run(new ScriptedFeed(script), options("--wait-for-workers", "10s"), null);
    assertEquals(ExitCodes.TIMED_OUT, code);
    assertTrue(err().contains("no worker joined within 10s (--wait-for-workers)"), err());
  }

  @Test
  void aCancelledJobCountsItsCancelledTasksApartFromItsFailures() throws Exception {
    ScriptedFeed feed =
        new ScriptedFeed(
            List.of(
                new Step("RUNNING", progress(4, 1, 1, 0, 1, 100), List.of(ok(1, "1", "1"))),
                new Step(
                    "CANCELLED",
                    progress(4, 1, 1, 2, 1, 100),
                    List.of(failed(2), cancelled(3), cancelled(4))),
                new Step("CANCELLED", progress(4, 1, 1, 2, 1, 100), List.of())));
    assertEquals(ExitCodes.SOME_FAILED, run(feed, options(), null));
    assertTrue(err().contains("4 task(s): 1 ok, 1 failed, 2 cancelled, 0 missing"), err());
    assertTrue(err().contains("task 2 square x after 3 attempt(s): boom"), err());
    assertFalse(err().contains("task 3 square y"), "a cancelled task is no dead letter");
  }

  @Test
  void ctrlCStopsFollowingWithWhatWasCollected() throws Exception {
    List<Step> script = new ArrayList<>();
    script.add(new Step("RUNNING", progress(3, 1, 0, 0, 1, 50), List.of(ok(1, "1", "1"))));
    script.add(new Step("RUNNING", progress(3, 1, 0, 0, 1, 50), List.of()));
    stop.set(true);
    int code = run(new ScriptedFeed(script), options(), null);
    assertEquals(ExitCodes.INTERRUPTED, code);
    assertTrue(err().contains("interrupted: 3 task(s): 1 ok, 0 failed, 0 cancelled,"), err());
  }

  @Test
  void theOutFileHoldsEveryResultOnceWithItsStatus() throws Exception {
    Path file = dir.resolve("out.jsonl");
    ScriptedFeed feed =
        new ScriptedFeed(
            List.of(
                new Step(
                    "FINISHED",
                    progress(3, 1, 1, 1, 1, 10),
                    List.of(ok(1, "1", "1"), failed(2), cancelled(3))),
                new Step("FINISHED", progress(3, 1, 1, 1, 1, 10), List.of())));
    run(feed, options(), file);
    List<String> lines = Files.readAllLines(file);
    assertEquals(3, lines.size());
    assertTrue(lines.get(2).contains("\"status\":\"cancelled\""), lines.get(2));
  }

  @Test
  void aNoticeIsPrintedOnceWhateverItsCountSays() throws Exception {
    ScriptedFeed feed =
        new ScriptedFeed(
            List.of(
                new Step(
                    "RUNNING",
                    progress(2, 0, 0, 0, 1, 0),
                    List.of(),
                    List.of("2 task(s) of kind 'collatz' are waiting")),
                new Step(
                    "RUNNING",
                    progress(2, 0, 0, 0, 1, 0),
                    List.of(),
                    List.of("1 task(s) of kind 'collatz' are waiting")),
                new Step("FINISHED", progress(2, 2, 0, 0, 1, 10), List.of(ok(1, "1", "1"))),
                new Step("FINISHED", progress(2, 2, 0, 0, 1, 10), List.of())));
    run(feed, options(), null);
    assertEquals(
        1, err().lines().filter(l -> l.contains("of kind 'collatz' are waiting")).count(), err());
  }
}
