package org.rmiq.cli.master.follow;

import com.google.common.base.Ticker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.rmiq.cli.master.ExitCodes;
import org.rmiq.cli.master.job.JobKind;
import org.rmiq.cli.master.job.JobOptions;
import org.rmiq.cli.master.job.Reduction;
import org.rmiq.report.JobProgress;
import org.rmiq.report.TaskOutcome;
import org.rmiq.util.Durations;
import org.rmiq.util.Printable;

/**
 * Follows one job to its end for whoever waits for it, the same way for the one-shot master, a
 * session's prompt and a submitter: prints each result (or a progress bar), writes {@code --out},
 * runs the reduce step, enforces the timeouts, and ends with a summary and an exit code.
 *
 * <p>Time counts only while it can. A queued job waits its turn as long as it takes (saying every
 * 10 s which job it waits behind, unless {@code --queue-timeout} bounds it); a running job waits
 * for its first worker as long as it takes (unless {@code --wait-for-workers} bounds it); {@code
 * --timeout} runs while workers are connected, or after the last one left. The summary's time runs
 * from the first task taken to the last result; a wait for the first worker is on a line of its
 * own, and ok, failed, cancelled and missing always add up to the job's tasks.
 */
public final class JobRunner {
  private static final int BATCH = 4096;
  private static final int FAILURES_LISTED = 20;
  private static final Duration POLL = Duration.ofMillis(250);
  private static final long EVERY_10S = Duration.ofSeconds(10).toNanos();

  /**
   * How it prints and what it writes.
   *
   * @param view where progress shows (a session prompt's status line), or null for a bar on a
   *     terminal ({@code progressBar}) or a line every few seconds
   */
  public record Output(
      PrintStream results,
      PrintStream err,
      boolean showResults,
      boolean progressBar,
      Path out,
      String joinCommand,
      String prefix,
      ProgressView view) {

    public Output(
        PrintStream results,
        PrintStream err,
        boolean showResults,
        boolean progressBar,
        Path out,
        String joinCommand,
        String prefix) {
      this(results, err, showResults, progressBar, out, joinCommand, prefix, null);
    }
  }

  private final JobFeed feed;
  private final JobKind kind;
  private final JobOptions options;
  private final Output output;
  private final AtomicBoolean stop;
  private final Ticker ticker;
  private final List<TaskOutcome> failures = new ArrayList<>();
  private final Set<String> noticesShown = new HashSet<>();
  private final Reduction reduction;

  /** The result lines on standard output (see {@link ResultLines}). */
  private final ResultLines results;

  private ResultFile file;

  /** Results (ok or failed) taken so far, an earlier run's included. */
  private long collected;

  /** Per worker in this job: tasks, failed, milliseconds of work. */
  private final Map<String, long[]> byWorker = new TreeMap<>();

  /**
   * @param stop set (by Ctrl-C) to end the job early
   */
  public JobRunner(
      JobFeed feed, JobKind kind, JobOptions options, Output output, AtomicBoolean stop) {
    this(feed, kind, options, output, stop, Ticker.systemTicker());
  }

  JobRunner(
      JobFeed feed,
      JobKind kind,
      JobOptions options,
      Output output,
      AtomicBoolean stop,
      Ticker ticker) {
    this.feed = feed;
    this.kind = kind;
    this.options = options;
    this.output = output;
    this.results = new ResultLines(output.results());
    this.stop = stop;
    this.ticker = ticker;
    this.reduction = kind.reduction();
  }

  /**
   * Follows the job to its end.
   *
   * @param earlier outcomes an earlier run collected (a resumed job), written first
   * @return the exit code
   */
  public int run(List<TaskOutcome> earlier) throws Exception {
    PrintStream err = output.err();
    boolean ownsOut = reduction != null && reduction.ownsOutFile() && output.out() != null;
    try {
      if (output.out() != null && !ownsOut) {
        file = ResultFile.open(output.out(), kind.detailColumns());
      }
      accept(earlier);
      return follow();
    } catch (IOException e) {
      err.println(
          output.prefix()
              + ": cannot write "
              + (output.out() == null ? "the results" : output.out())
              + ": "
              + describe(e)
              + ". "
              + (output.out() == null
                  ? ""
                  : "The results collected so far are in " + output.out() + ". ")
              + "Free some space or choose another file with --out, and run the job again.");
      return ExitCodes.WRITE_FAILED;
    } finally {
      if (file != null) {
        try {
          file.close();
        } catch (IOException e) {
          err.println(output.prefix() + ": cannot finish " + output.out() + ": " + describe(e));
        }
      }
    }
  }

  /** Why the loop ended. */
  private enum End {
    DONE,
    STOPPED,
    TIMED_OUT,
    NO_WORKERS,
    QUEUE_TIMEOUT
  }

  private int follow() throws Exception {
    Duration timeout = options.timeout != null ? options.timeout : kind.defaultTimeout();
    End end;
    JobProgress p;
    try (ProgressView view =
        output.view() != null
            ? output.view()
            : ProgressView.create(
                output.progressBar(), output.err(), Math.max(1, feed.progress().submitted()))) {
      end = loop(timeout, view);
      p = feed.progress();
    }
    switch (end) {
      case STOPPED -> {
        interrupted(catchUp());
        return ExitCodes.INTERRUPTED;
      }
      case NO_WORKERS -> {
        say(
            "no worker joined within "
                + Durations.format(options.waitForWorkers)
                + " (--wait-for-workers); start one with: "
                + output.joinCommand());
        summary(p);
        return ExitCodes.TIMED_OUT;
      }
      case QUEUE_TIMEOUT -> {
        say(
            "gave up after waiting "
                + Durations.format(options.queueTimeout)
                + " in the queue (--queue-timeout) behind "
                + feed.waitingBehind());
        return ExitCodes.TIMED_OUT;
      }
      case TIMED_OUT -> {
        timedOut(p, timeout);
        summary(p);
        return ExitCodes.TIMED_OUT;
      }
      default -> {
        summary(p);
        results.flush();
        boolean right = reduction == null || reduction.finish(output.results(), output.out());
        return failures.isEmpty() && right ? ExitCodes.OK : ExitCodes.SOME_FAILED;
      }
    }
  }

  /** Follows until the job is drained, stopped, or a clock runs out. */
  private End loop(Duration timeout, ProgressView view) throws Exception {
    long started = ticker.read();
    long runningSince = -1;
    long lastResult = started;
    long lastLine = started;
    while (!stop.get()) {
      List<TaskOutcome> batch = feed.next(BATCH, POLL);
      accept(batch);
      JobProgress p = feed.progress();
      showNotices();
      if (feed.isDrained()) {
        return End.DONE;
      }
      long now = ticker.read();
      if (feed.state().equals("QUEUED")) {
        if (options.queueTimeout != null && now - started >= options.queueTimeout.toNanos()) {
          return End.QUEUE_TIMEOUT;
        }
        if (now - lastLine >= EVERY_10S) {
          say("queued behind " + feed.waitingBehind());
          lastLine = now;
        }
        continue; // no clock runs while it waits its turn
      }
      if (runningSince < 0) {
        runningSince = now;
        lastResult = now;
        lastLine = now;
      }
      view.update(p);
      boolean counting = p.workersConnected() > 0 || p.workersJoined();
      if (!batch.isEmpty() || !counting) {
        lastResult = now;
      }
      if (!p.workersJoined() && p.workersConnected() == 0) {
        if (options.waitForWorkers != null
            && now - runningSince >= options.waitForWorkers.toNanos()) {
          return End.NO_WORKERS;
        }
        if (now - lastLine >= EVERY_10S) {
          say("waiting for workers (0 joined); start one: " + output.joinCommand());
          lastLine = now;
        }
      } else if (now - lastResult >= timeout.toNanos()) {
        return End.TIMED_OUT;
      }
    }
    return End.STOPPED;
  }

  /**
   * After a stop, takes the results that arrived meanwhile until everything the master counts is
   * written (for a second at most: tasks still running keep delivering), so the line that reports
   * the counts and the {@code --out} file agree.
   */
  private JobProgress catchUp() throws Exception {
    JobProgress p = feed.progress();
    for (int round = 0; round < 20 && collected < p.succeeded() + p.failed(); round++) {
      accept(feed.next(Integer.MAX_VALUE, Duration.ofMillis(50)));
      p = feed.progress();
    }
    return p;
  }

  private void say(String line) {
    output.err().println(output.prefix() + ": " + line);
  }

  private void accept(List<TaskOutcome> outcomes) throws IOException {
    for (TaskOutcome outcome : outcomes) {
      if (outcome.failed()) {
        failures.add(outcome);
      }
      if (!outcome.cancelled()) {
        collected++;
        long[] w = byWorker.computeIfAbsent(outcome.worker(), k -> new long[3]);
        w[0]++;
        w[1] += outcome.ok() ? 0 : 1;
        w[2] += outcome.millis();
      }
      if (reduction != null) {
        reduction.add(outcome);
      }
      if (file != null) {
        file.write(outcome);
      }
      if (output.showResults()) {
        results.println(kind.line(outcome));
      }
    }
    if (!outcomes.isEmpty()) {
      results.flush();
    }
    if (file != null && !outcomes.isEmpty()) {
      file.flush();
    }
  }

  private void showNotices() throws Exception {
    for (String notice : feed.notices()) {
      if (noticesShown.add(notice.replaceAll("^\\d+ ", ""))) {
        say(Printable.of(notice));
      }
    }
  }

  private void timedOut(JobProgress p, Duration timeout) throws Exception {
    List<String> notices = feed.notices();
    String why;
    if (!notices.isEmpty()) {
      why = String.join("; ", notices.stream().map(Printable::of).toList()) + ".";
    } else if (p.workersConnected() == 0) {
      why = "every worker left. Start a worker: " + output.joinCommand() + ".";
    } else {
      why =
          p.leased() > 0
              ? p.leased()
                  + " task(s) are still running on the workers: the tasks may be slower than"
                  + " the timeout, or the workers stuck."
              : "the workers took no task.";
    }
    say(
        "timed out: no result arrived for "
            + Durations.format(timeout)
            + " while its tasks ran; "
            + p.missing()
            + " of "
            + p.submitted()
            + " results missing; "
            + p.workersConnected()
            + " worker(s) connected; "
            + why
            + " Raise --timeout to wait longer.");
  }

  /** The counts of a job: ok, failed, cancelled and missing add up to its tasks. */
  static String counts(JobProgress p) {
    return String.format(
        "%d task(s): %d ok, %d failed, %d cancelled, %d missing",
        p.submitted(), p.succeeded(), p.failed(), p.cancelled(), p.missing());
  }

  private void summary(JobProgress p) {
    PrintStream err = output.err();
    double seconds = p.work().toNanos() / 1e9;
    long done = p.succeeded() + p.failed();
    err.printf(
        "rmiq: %s, in %.2f s of work (%s)%n",
        counts(p),
        seconds,
        seconds < 1e-3 ? "no rate" : String.format("%.0f tasks/s", done / seconds));
    if (p.waited().toMillis() >= 100) {
      err.printf("  waited %.1f s for the first worker%n", p.waited().toNanos() / 1e9);
    }
    int replicas = options.replicasOrDefault();
    if (replicas > 1) {
      err.printf(
          "  each task ran on %d different workers and counted only if they agreed"
              + " (--replicas %d)%n",
          replicas, replicas);
    }
    workerTable(err);
    listFailures(err);
  }

  private void workerTable(PrintStream err) {
    long collected = byWorker.values().stream().mapToLong(w -> w[0]).sum();
    if (collected == 0) {
      return;
    }
    err.printf("  %-30s %8s %7s %8s %10s%n", "worker", "tasks", "share", "failed", "mean ms");
    byWorker.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(
            e ->
                err.printf(
                    "  %-30s %8d %6.1f%% %8d %10.1f%n",
                    Printable.of(e.getKey(), 30),
                    e.getValue()[0],
                    100.0 * e.getValue()[0] / collected,
                    e.getValue()[1],
                    e.getValue()[2] / (double) e.getValue()[0]));
  }

  private void listFailures(PrintStream err) {
    if (failures.isEmpty()) {
      return;
    }
    err.println("failed tasks (dead letters; --out has them all with status failed):");
    failures.stream()
        .limit(FAILURES_LISTED)
        .forEach(
            f ->
                err.println(
                    "  task "
                        + f.id()
                        + " "
                        + f.kind()
                        + " "
                        + Printable.of(f.input(), 200)
                        + " after "
                        + f.attempts()
                        + " attempt(s): "
                        + Printable.of(f.error(), 500)));
    if (failures.size() > FAILURES_LISTED) {
      err.println("  … and " + (failures.size() - FAILURES_LISTED) + " more");
    }
  }

  private void interrupted(JobProgress p) {
    say(
        "interrupted: "
            + counts(p)
            + " so far."
            + (file != null ? " The results collected so far are in " + output.out() + "." : ""));
  }

  /** The failed tasks, for the caller's own summary. */
  List<TaskOutcome> failures() {
    return failures;
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
