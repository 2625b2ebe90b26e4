package org.rmiq.cli.master.launch;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.rmiq.cli.Signals;
import org.rmiq.cli.master.ExitCodes;
import org.rmiq.cli.master.follow.JobFeed;
import org.rmiq.cli.master.follow.JobRunner;
import org.rmiq.cli.master.follow.ProgressView;
import org.rmiq.cli.master.job.JobOptions;
import org.rmiq.master.Job;
import org.rmiq.master.Master;
import org.rmiq.report.TaskOutcome;

/**
 * The one-shot master's run: starts (or resumes) its one job, follows it to its end and exits.
 *
 * <p>The first Ctrl-C (or SIGTERM) stops following: the job's summary says what was collected. With
 * {@code --journal} the job is kept, unfinished, to resume by running the same command again (its
 * {@code --out} then ends with every result once); without one it is over. A second Ctrl-C exits at
 * once. A file the master cannot write ends it with exit 5.
 */
final class OneShot {
  private final Running running;
  private final JobPlan plan;
  private final JobOptions job;
  private final Path journal;
  private final boolean linger;
  private final boolean quiet;
  private final PrintStream stdout;
  private final PrintStream stderr;
  private final StopControl stop;
  private final AtomicBoolean secondPress = new AtomicBoolean();

  OneShot(
      Running running,
      JobPlan plan,
      JobOptions job,
      Path journal,
      boolean linger,
      boolean quiet,
      PrintStream stdout,
      PrintStream stderr) {
    this.running = running;
    this.plan = plan;
    this.job = job;
    this.journal = journal;
    this.linger = linger;
    this.quiet = quiet;
    this.stdout = stdout;
    this.stderr = stderr;
    this.stop = new StopControl(running.master());
  }

  int run() throws Exception {
    Master master = running.master();
    Job started;
    List<TaskOutcome> earlier = List.of();
    try {
      if (plan.resumeId() >= 0) {
        started =
            master.resumable().stream()
                .filter(j -> j.id() == plan.resumeId())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the journal's job is gone"));
        earlier = master.restored(plan.resumeId());
        started.start();
      } else {
        started = master.startJob(plan.kind().toSpec(job).withSubmitter("command line"));
      }
    } catch (IllegalArgumentException e) { // too big for the master's memory
      stderr.println("run-master: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (OutOfMemoryError e) { // copying the inputs filled the heap before the check could
      stderr.println("run-master: " + MasterCommand.inputsTooBig());
      return ExitCodes.USAGE;
    } catch (UncheckedIOException e) {
      stderr.println(
          "run-master: the journal "
              + journal
              + " cannot record the job ("
              + e.getCause().getMessage()
              + "); free some space or give another --journal file");
      return ExitCodes.WRITE_FAILED;
    }
    running.banner().print("job: " + plan.title(), running.statusPort());
    CountDownLatch finished = new CountDownLatch(1);
    stop.onTerm(() -> await(finished));
    Signals.handle("INT", this::onCtrlC);
    try {
      return follow(master, started, earlier);
    } finally {
      finished.countDown();
      stop.removeTermHook();
    }
  }

  private int follow(Master master, Job started, List<TaskOutcome> earlier) throws Exception {
    boolean terminal = stderr instanceof ProgressView.BarSafeStream;
    int code =
        new JobRunner(
                JobFeed.local(master, started),
                plan.kind(),
                job,
                new JobRunner.Output(
                    stdout,
                    stderr,
                    !quiet && (job.printResults || !terminal),
                    terminal && !quiet,
                    job.out,
                    running.banner().joinCommand(),
                    "run-master"),
                stop.flag())
            .run(earlier);
    if (stop.writeFailure() != null) {
      stderr.println("run-master: " + stop.failureSentence(journal != null, false));
      return ExitCodes.WRITE_FAILED;
    }
    if (code == ExitCodes.INTERRUPTED) {
      stderr.println(
          journal != null
              ? "run-master: the job is kept in the --journal, unfinished: run the same command"
                  + " again to resume it (its --out then ends with every result once)"
              : "run-master: the job is over; with --journal FILE a stopped job can be resumed");
      return code;
    }
    master.finish();
    master.awaitWorkersTold(Duration.ofSeconds(3));
    if (linger) {
      linger();
    }
    return code;
  }

  /** Keeps the status page up after the job until Ctrl-C or SIGTERM. */
  private void linger() throws InterruptedException {
    stderr.println(
        "run-master: the job is done; the status page stays up"
            + (running.statusPage() == null
                ? ""
                : " at http://"
                    + running.address().substring(0, running.address().lastIndexOf(':'))
                    + ":"
                    + running.statusPort()
                    + "/")
            + " until Ctrl-C");
    stop.flag().set(false); // a Ctrl-C from now on ends the linger
    stop.await();
  }

  /** The first Ctrl-C ends the job (with a summary); a second one exits at once. */
  private void onCtrlC() {
    if (stop.flag().get() && secondPress.compareAndSet(false, true)) {
      Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
    }
    stop.stop();
  }

  private static void await(CountDownLatch finished) {
    try {
      finished.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
