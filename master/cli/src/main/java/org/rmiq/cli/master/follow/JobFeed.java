package org.rmiq.cli.master.follow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.master.Job;
import org.rmiq.master.Master;
import org.rmiq.report.JobProgress;
import org.rmiq.report.TaskOutcome;

/**
 * A job as whoever waits for it sees it: outcomes in batches, counts and timing, its state (a
 * queued job waits its turn), notices, and a way to cancel. The job may run in this JVM ({@link
 * #local}) or on a session master that a submitter follows over the network ({@link RemoteFeed}).
 */
public interface JobFeed {
  /** Up to {@code max} outcomes, waiting up to {@code wait} for the first. */
  List<TaskOutcome> next(int max, Duration wait) throws Exception;

  /** Its counts and timing, as of the last {@link #next}. */
  JobProgress progress() throws Exception;

  /** {@code QUEUED}, {@code RUNNING}, {@code FINISHED} or {@code CANCELLED}. */
  String state() throws Exception;

  /**
   * While it is queued, the job it waits for and how far that one is, e.g. {@code job 7 (sleep
   * 1000x240, 60 % done)}; else empty.
   */
  String waitingBehind() throws Exception;

  /** True once every outcome has been handed out by {@link #next}. */
  boolean isDrained() throws Exception;

  /** What the master wants a teacher to know about it now (e.g. a kind no worker runs). */
  List<String> notices() throws Exception;

  /** Withdraws its tasks. */
  void cancel(String reason) throws Exception;

  /** A job of a master in this JVM. */
  static JobFeed local(Master master, Job job) {
    return new JobFeed() {
      @Override
      public List<TaskOutcome> next(int max, Duration wait) throws InterruptedException {
        List<TaskOutcome> batch = new ArrayList<>();
        if (job.drainTo(batch, max) == 0) {
          TaskOutcome first = job.poll(wait);
          if (first != null) {
            batch.add(first);
            job.drainTo(batch, max - 1);
          }
        }
        return batch;
      }

      @Override
      public JobProgress progress() {
        return job.progress();
      }

      @Override
      public String state() {
        return job.state().name();
      }

      @Override
      public String waitingBehind() {
        return master.waitingBehind(job);
      }

      @Override
      public boolean isDrained() {
        return job.isDone() && job.waiting() == 0;
      }

      @Override
      public List<String> notices() {
        return master.notices(job);
      }

      @Override
      public void cancel(String reason) {
        job.cancel(reason);
      }
    };
  }
}
