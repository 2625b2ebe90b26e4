package org.rmiq.cli.master;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.rmiq.internal.util.Durations;
import org.rmiq.master.Master;
import org.rmiq.master.Progress;
import org.rmiq.master.TaskOutcome;
import org.rmiq.master.WorkerSummary;

/**
 * Submits a job, collects every result with the no-progress timeout, prints and writes each one,
 * and ends with a summary. Ctrl-C prints what was collected and what is missing.
 */
final class Collector {
  /** How long the master waits, after its job, for workers to hear it is finished. */
  private static final Duration FAREWELL = Duration.ofSeconds(3);

  private final Master master;
  private final ResultFile file;
  private final PrintStream results;
  private final PrintStream err;
  private static final int FAILURES_LISTED = 20;

  /** Every failed task (dead letter) collected, reported at the end. */
  private final java.util.List<TaskOutcome> failures =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  private final AtomicBoolean done = new AtomicBoolean();
  private final boolean resumable;

  /** The reduce step of sum and wordcount; null for other jobs. */
  private final Reduction reduction;

  /** Where the reduce step writes its answer ({@code --out}), or null. */
  private final java.nio.file.Path outFile;

  /** The answer of a reduce step goes here (stdout), even when per-result lines do not. */
  private final PrintStream stdout;

  /** Kinds already reported as run by no connected worker. */
  private final java.util.Set<String> warnedKinds = new java.util.HashSet<>();

  /** Whether stderr is a terminal, for a live progress bar instead of periodic lines. */
  private final boolean terminal;

  /**
   * @param results where result lines go, or null when quiet
   * @param resumable whether the master keeps a journal, so an interrupted job can resume
   */
  Collector(
      Master master,
      ResultFile file,
      PrintStream results,
      PrintStream err,
      boolean resumable,
      boolean terminal,
      java.nio.file.Path outFile,
      PrintStream stdout,
      Reduction reduction) {
    this.reduction = reduction;
    this.outFile = outFile;
    this.stdout = stdout;
    this.resumable = resumable;
    this.terminal = terminal;
    this.master = master;
    this.file = file;
    this.results = results;
    this.err = err;
  }

  int run(JobPlan plan, Duration timeout, String joinCommand)
      throws InterruptedException, IOException {
    long started = System.nanoTime();
    Thread onInterrupt = new Thread(this::interrupted, "rmiq-master-interrupt");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      for (TaskOutcome earlier : master.restored()) {
        accept(earlier); // a resumed job's --out holds every result, earlier ones first
      }
      if (plan.job() != null) {
        master.submitJob(plan.spec(), plan.job().kind(), plan.job().inputs());
      }
      // Count from what was restored, not from live progress: workers that re-join a resumed
      // master may already have delivered results that are waiting to be polled.
      long outstanding = master.progress().submitted() - master.restored().size();
      boolean timedOut = false;
      try (ProgressView view = ProgressView.create(terminal, err, master.progress().submitted())) {
        long lastResult = System.nanoTime();
        for (long collected = 0; collected < outstanding && !timedOut; ) {
          TaskOutcome outcome = master.poll(Duration.ofMillis(250));
          view.update(master.progress());
          warnAboutUnservedKinds();
          if (outcome != null) {
            accept(outcome);
            collected++;
            lastResult = System.nanoTime();
          } else {
            timedOut = System.nanoTime() - lastResult >= timeout.toNanos();
          }
        }
        view.update(master.progress());
      }
      if (timedOut) {
        timedOut(timeout, joinCommand);
        summary(started);
        return MasterCommand.TIMED_OUT;
      }
      done.set(true);
      summary(started);
      boolean answerRight = reduction == null || reduction.finish(stdout, outFile);
      master.finish();
      master.awaitWorkersGone(FAREWELL);
      return failures.isEmpty() && answerRight ? MasterCommand.OK : MasterCommand.SOME_FAILED;
    } finally {
      done.set(true);
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running
      }
    }
  }

  private void accept(TaskOutcome outcome) throws IOException {
    if (!outcome.ok()) {
      failures.add(outcome);
    }
    if (reduction != null) {
      reduction.add(outcome);
    }
    if (file != null && (reduction == null || !reduction.ownsOutFile())) {
      file.write(outcome);
    }
    if (results != null) {
      results.println(OutcomeLine.format(outcome));
    }
  }

  /** Says once per kind when tasks wait for a kind that no connected worker runs. */
  private void warnAboutUnservedKinds() {
    master
        .unservedKinds()
        .forEach(
            (kind, waiting) -> {
              if (warnedKinds.add(kind)) {
                err.println("run-master: " + unservedMessage(kind, waiting));
              }
            });
  }

  private String unservedMessage(String kind, int waiting) {
    return waiting
        + " task(s) of kind '"
        + kind
        + "' are waiting, but no connected worker runs"
        + " it (they run: "
        + String.join(", ", master.servedKinds())
        + "); start a worker"
        + " whose --plugins folder has the jar that provides '"
        + kind
        + "'";
  }

  private void timedOut(Duration timeout, String joinCommand) {
    master
        .unservedKinds()
        .forEach((kind, waiting) -> err.println("run-master: " + unservedMessage(kind, waiting)));
    Progress p = master.progress();
    err.println(
        "run-master: timed out: no result arrived for "
            + Durations.format(timeout)
            + "; "
            + p.missing()
            + " of "
            + p.submitted()
            + " results missing; "
            + p.workersConnected()
            + " worker(s) connected. "
            + (p.workersConnected() == 0
                ? "Start a worker: " + joinCommand + ". "
                : "The workers may be stuck or the tasks slow. ")
            + "Raise --timeout to wait longer.");
  }

  private void summary(long startedNanos) {
    Progress p = master.progress();
    double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
    err.printf(
        "rmiq: %d task(s): %d ok, %d failed, %d missing, in %.2f s (%.0f tasks/s)%n",
        p.submitted(), p.succeeded(), p.failed(), p.missing(), seconds, p.collected() / seconds);
    if (!master.workers().isEmpty()) {
      err.printf("  %-30s %8s %7s %8s %10s%n", "worker", "tasks", "share", "failed", "mean ms");
    }
    for (WorkerSummary w : master.workers()) {
      err.printf(
          "  %-30s %8d %6.1f%% %8d %10.1f%n",
          w.name(),
          w.tasks(),
          p.collected() == 0 ? 0.0 : 100.0 * w.tasks() / p.collected(),
          w.failed(),
          w.meanMillis());
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
                            + f.input()
                            + " after "
                            + f.attempts()
                            + " attempt(s): "
                            + f.error()));
        if (failures.size() > FAILURES_LISTED) {
          err.println("  … and " + (failures.size() - FAILURES_LISTED) + " more");
        }
      }
    }
  }

  /** Runs on Ctrl-C (a shutdown hook): says what was collected and what is missing. */
  private void interrupted() {
    if (done.get()) {
      return;
    }
    try {
      // Results already collected but not yet polled still reach stdout and --out.
      for (TaskOutcome o; (o = master.poll(Duration.ZERO)) != null; ) {
        accept(o);
      }
    } catch (IOException | InterruptedException e) {
      err.println("run-master: could not write every collected result: " + e);
    }
    Progress p = master.progress();
    err.println(
        "run-master: interrupted: collected "
            + p.collected()
            + " of "
            + p.submitted()
            + " results ("
            + p.failed()
            + " failed); "
            + p.missing()
            + " missing."
            + (file != null ? " The results collected so far are in the --out file." : "")
            + (resumable ? " Run the same command again to resume from the --journal." : ""));
    master.close();
  }
}
