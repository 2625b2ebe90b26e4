package org.rmiq.cli.master.session;

import java.util.List;
import org.rmiq.cli.master.ExitCodes;
import org.rmiq.cli.master.follow.JobFeed;
import org.rmiq.cli.master.follow.JobRunner;
import org.rmiq.cli.master.follow.ProgressView;
import org.rmiq.cli.master.job.JobKind;
import org.rmiq.cli.master.job.JobOptions;
import org.rmiq.cli.master.launch.StopControl;
import org.rmiq.master.Job;
import org.rmiq.master.Master;
import org.rmiq.report.JobProgress;
import org.rmiq.report.TaskOutcome;

/**
 * The jobs typed at a session's prompt, each followed on a thread of its own so the prompt never
 * waits: results and notices print above the line being typed, the running job's progress sits in
 * the status line, and each job's summary prints when it ends.
 */
final class PromptJobs {
  private final Master master;
  private final JobQueue queue;
  private final Console console;
  private final String joinCommand;
  private final boolean quiet;

  PromptJobs(Master master, JobQueue queue, Console console, String joinCommand, boolean quiet) {
    this.master = master;
    this.queue = queue;
    this.console = console;
    this.joinCommand = joinCommand;
    this.quiet = quiet;
  }

  /**
   * Follows {@code job} to its end on a thread of its own.
   *
   * @param earlier results an earlier session collected (a resumed job), written first
   */
  void follow(
      Job job, JobKind kind, JobOptions options, StopControl stop, List<TaskOutcome> earlier) {
    Thread follower =
        new Thread(() -> run(job, kind, options, stop, earlier), "rmiq-prompt-job-" + job.id());
    follower.setDaemon(true);
    follower.start();
  }

  private void run(
      Job job, JobKind kind, JobOptions options, StopControl stop, List<TaskOutcome> earlier) {
    try {
      int code =
          new JobRunner(
                  JobFeed.local(master, job),
                  kind,
                  options,
                  new JobRunner.Output(
                      console.out(),
                      console.err(),
                      !quiet && (options.printResults || !console.hasStatusLine()),
                      false,
                      options.out,
                      joinCommand,
                      "run-master",
                      console.hasStatusLine() ? new StatusLine(job) : null),
                  stop.flag())
              .run(earlier);
      if (stop.writeFailure() != null) {
        return; // the session ends; the job stays in the journal to resume
      }
      if (code == ExitCodes.TIMED_OUT && !job.isDone()) {
        job.cancel("timed out");
        console
            .err()
            .println("run-master: job " + job.id() + " cancelled; its tasks were withdrawn");
      }
    } catch (Exception e) {
      job.cancel("failed: " + e.getMessage());
      console.err().println("run-master: job " + job.id() + " failed: " + e.getMessage());
    }
  }

  /** The running job's progress in the prompt's status line. */
  private final class StatusLine implements ProgressView {
    private final Job job;
    private long lastDrawn;

    StatusLine(Job job) {
      this.job = job;
    }

    @Override
    public void update(JobProgress p) {
      long now = System.nanoTime();
      if (now - lastDrawn < 250_000_000L || queue.current() != job) {
        return;
      }
      lastDrawn = now;
      console.status(
          String.format(
              "job %d: %d/%d done (%.0f%%), %d failed, %d worker(s), %.1f s",
              job.id(),
              p.collected(),
              p.submitted(),
              p.submitted() == 0 ? 100.0 : 100.0 * p.collected() / p.submitted(),
              p.failed(),
              p.workersConnected(),
              p.work().toNanos() / 1e9));
    }

    @Override
    public void close() {
      console.status("");
    }
  }
}
