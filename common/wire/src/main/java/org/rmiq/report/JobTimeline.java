package org.rmiq.report;

import java.util.List;

/**
 * Who ran which of a job's tasks when: one span per attempt, on the master's clock (milliseconds
 * since the job started; a worker reports only how long a task took, so no clocks need to agree). A
 * long job keeps a uniform sample of its ordinary spans and every notable one (failed attempts,
 * re-delivered, backup and cancelled copies), up to the bounds the master states.
 *
 * @param jobId the job
 * @param workers the worker names spans refer to, by index
 * @param spans the spans kept, in no particular order
 * @param ended when workers left or went silent during the job
 * @param seen spans recorded in all
 * @param sampled whether ordinary spans were sampled (then {@code spans} holds fewer than {@code
 *     seen})
 */
public record JobTimeline(
    long jobId,
    List<String> workers,
    List<Span> spans,
    List<WorkerEnd> ended,
    long seen,
    boolean sampled) {
  public JobTimeline {
    workers = List.copyOf(workers);
    spans = List.copyOf(spans);
    ended = List.copyOf(ended);
  }

  /** What happened to an attempt. */
  public enum State {
    /** It delivered the task's value. */
    OK,
    /** It failed (retried, or the task's final failure). */
    FAILED,
    /** A backup copy of a task held too long elsewhere, which delivered first. */
    BACKUP,
    /** Its worker left or went silent; the task went to another worker. */
    REDELIVERED,
    /** The job was cancelled while it ran. */
    CANCELLED,
    /** The worker would not run it by its own settings; another did. */
    DECLINED
  }

  /**
   * One attempt.
   *
   * @param task the task id
   * @param worker index into {@link #workers()}
   * @param lane the worker thread that ran it (0, 1, …), or -1 when the master never heard which
   * @param startMillis since the job started
   * @param millis how long it ran
   * @param state what became of it
   */
  public record Span(long task, int worker, int lane, long startMillis, long millis, State state) {}

  /**
   * A worker that left during the job.
   *
   * @param worker index into {@link #workers()}
   * @param atMillis since the job started
   * @param silent true when it went silent (killed, cut off), false when it said goodbye
   */
  public record WorkerEnd(int worker, long atMillis, boolean silent) {}
}
