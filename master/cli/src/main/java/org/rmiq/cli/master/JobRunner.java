package org.rmiq.cli.master;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.rmiq.internal.util.Durations;
import org.rmiq.internal.util.Printable;
import org.rmiq.master.JobProgress;
import org.rmiq.master.TaskOutcome;

/**
 * Follows one job to its end for whoever waits for it, the same way for the one-shot master, a
 * session's prompt and a submitter: prints each result (or a progress bar), writes {@code --out},
 * runs the reduce step, enforces the timeouts, and ends with a summary and an exit code.
 *
 * <p>Time counts only while it can: a job waits for its first worker as long as it takes (saying so
 * every 10 s, unless {@code --wait-for-workers} bounds it); {@code --timeout} runs while workers
 * are connected, or after the last one left. The summary's time runs from the first task taken to
 * the last result, and the wait is shown on a line of its own.
 */
final class JobRunner {
  private static final int BATCH = 4096;
  private static final int FAILURES_LISTED = 20;
  private static final Duration POLL = Duration.ofMillis(250);
  private static final long WAITING_LINE_NANOS = Duration.ofSeconds(10).toNanos();

  /** How it prints and what it writes. */
  record Output(
      PrintStream results,
      PrintStream err,
      boolean showResults,
      boolean progressBar,
      Path out,
      String joinCommand,
      String prefix) {}

  private final JobFeed feed;
  private final JobKind kind;
  private final JobOptions options;
  private final Output output;
  private final AtomicBoolean stop;
  private final List<TaskOutcome> failures = new ArrayList<>();
  private final Set<String> noticesShown = new HashSet<>();
  private final Reduction reduction;
  private ResultFile file;

  /** Per worker in this job: tasks, failed, milliseconds of work. */
  private final java.util.Map<String, long[]> byWorker = new java.util.TreeMap<>();

  /**
   * @param stop set (by Ctrl-C) to end the job early
   */
  JobRunner(JobFeed feed, JobKind kind, JobOptions options, Output output, AtomicBoolean stop) {
    this.feed = feed;
    this.kind = kind;
    this.options = options;
    this.output = output;
    this.stop = stop;
    this.reduction = kind.reduction();
  }

  /**
   * Follows the job to its end.
   *
   * @param earlier outcomes an earlier run collected (a resumed job), written first
   * @return the exit code
   */
  int run(List<TaskOutcome> earlier) throws Exception {
    PrintStream err = output.err();
    boolean ownsOut = reduction != null && reduction.ownsOutFile() && output.out() != null;
    try {
      if (output.out() != null && !ownsOut) {
        file = ResultFile.open(output.out(), kind.detailColumns());
      }
      accept(earlier);
      int code = follow();
      return code;
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

  private int follow() throws Exception {
    PrintStream err = output.err();
    Duration timeout = options.timeout != null ? options.timeout : kind.defaultTimeout();
    long started = System.nanoTime();
    long lastResult = started;
    long lastWaitingLine = started;
    boolean timedOut = false;
    boolean noWorkers = false;
    JobProgress p = feed.progress();
    try (ProgressView view =
        ProgressView.create(output.progressBar(), err, Math.max(1, p.submitted()))) {
      while (true) {
        if (stop.get()) {
          break;
        }
        List<TaskOutcome> batch = feed.next(BATCH, POLL);
        accept(batch);
        p = feed.progress();
        view.update(p);
        showNotices();
        if (feed.isDrained()) {
          break;
        }
        long now = System.nanoTime();
        boolean counting = p.workersConnected() > 0 || p.workersJoined();
        if (!batch.isEmpty() || !counting) {
          lastResult = now;
        }
        if (!p.workersJoined() && p.workersConnected() == 0) {
          if (options.waitForWorkers != null && now - started >= options.waitForWorkers.toNanos()) {
            noWorkers = true;
            break;
          }
          if (now - lastWaitingLine >= WAITING_LINE_NANOS) {
            err.println(
                output.prefix()
                    + ": waiting for workers (0 joined); start one: "
                    + output.joinCommand());
            lastWaitingLine = now;
          }
        } else if (now - lastResult >= timeout.toNanos()) {
          timedOut = true;
          break;
        }
      }
    }
    if (stop.get()) {
      accept(feed.next(Integer.MAX_VALUE, Duration.ZERO)); // what arrived meanwhile
      interrupted(feed.progress());
      return ExitCodes.INTERRUPTED;
    }
    if (noWorkers) {
      err.println(
          output.prefix()
              + ": no worker joined within "
              + Durations.format(options.waitForWorkers)
              + " (--wait-for-workers); start one with: "
              + output.joinCommand());
      summary(p);
      return ExitCodes.TIMED_OUT;
    }
    if (timedOut) {
      timedOut(p, timeout);
      summary(p);
      return ExitCodes.TIMED_OUT;
    }
    summary(p);
    boolean right = true;
    if (reduction != null) {
      right = reduction.finish(output.results(), output.out());
    }
    return failures.isEmpty() && right ? ExitCodes.OK : ExitCodes.SOME_FAILED;
  }

  private void accept(List<TaskOutcome> outcomes) throws IOException {
    for (TaskOutcome outcome : outcomes) {
      if (!outcome.ok()) {
        failures.add(outcome);
      }
      long[] w = byWorker.computeIfAbsent(outcome.worker(), k -> new long[3]);
      w[0]++;
      w[1] += outcome.ok() ? 0 : 1;
      w[2] += outcome.millis();
      if (reduction != null) {
        reduction.add(outcome);
      }
      if (file != null) {
        file.write(outcome);
      }
      if (output.showResults()) {
        output.results().println(kind.line(outcome));
      }
    }
    if (file != null && !outcomes.isEmpty()) {
      file.flush();
    }
  }

  private void showNotices() throws Exception {
    for (String notice : feed.notices()) {
      if (noticesShown.add(notice.replaceAll("^\\d+ ", ""))) {
        output.err().println(output.prefix() + ": " + Printable.of(notice));
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
    output
        .err()
        .println(
            output.prefix()
                + ": timed out: no result arrived for "
                + Durations.format(timeout)
                + "; "
                + p.missing()
                + " of "
                + p.submitted()
                + " results missing; "
                + p.workersConnected()
                + " worker(s) connected; "
                + why
                + " Raise --timeout to wait longer.");
  }

  private void summary(JobProgress p) {
    PrintStream err = output.err();
    double seconds = p.work().toNanos() / 1e9;
    err.printf(
        "rmiq: %d task(s): %d ok, %d failed, %d missing, in %.2f s of work (%s)%n",
        p.submitted(),
        p.succeeded(),
        p.failed(),
        p.missing(),
        seconds,
        seconds < 1e-3 ? "no rate" : String.format("%.0f tasks/s", p.collected() / seconds));
    if (p.waited().toMillis() >= 100) {
      err.printf("  waited %.1f s for the first worker%n", p.waited().toNanos() / 1e9);
    }
    long collected = byWorker.values().stream().mapToLong(w -> w[0]).sum();
    if (collected > 0) {
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
    synchronized (failures) {
      if (!failures.isEmpty()) {
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
    }
  }

  private void interrupted(JobProgress p) {
    output
        .err()
        .println(
            output.prefix()
                + ": interrupted: collected "
                + p.collected()
                + " of "
                + p.submitted()
                + " results ("
                + p.failed()
                + " failed); "
                + p.missing()
                + " missing."
                + (file != null
                    ? " The results collected so far are in " + output.out() + "."
                    : ""));
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
