package org.rmiq.report;

import java.io.Serializable;
import java.util.List;

/**
 * What a master is doing, for the status page, {@code /api/status}, {@code /metrics} and {@code
 * rmiq-status.sh}.
 *
 * @param phase {@code RUNNING}, or {@code FINISHED} once a one-shot master's job is complete
 * @param uptimeMillis how long the master has been serving
 * @param submitted tasks submitted, all jobs together
 * @param pending tasks waiting for a worker (including retries backing off)
 * @param leased tasks held by workers
 * @param succeeded tasks collected with a value
 * @param failed tasks collected as failed (their last attempt failed)
 * @param cancelled tasks withdrawn because their job was cancelled (not failures)
 * @param duplicates late or repeated results discarded
 * @param forged results refused because their session never held the task's lease
 * @param refusedConnections connections that failed the handshake
 * @param busyRefusals connections turned away because the master was at a limit ("busy")
 * @param guessers peers that showed a wrong class code or teacher key in the last minute
 * @param tasksPerSecond completions per second over the last 5 seconds
 * @param history completions in each of the last seconds, oldest first (at most 120)
 * @param workers the workers, connected ones first, then by tasks done (at most {@value
 *     #MAX_WORKERS})
 * @param workersTotal how many worker rows the master has (more than listed when over the limit)
 * @param recent the latest collected results, newest first
 * @param failures the latest failures, newest first
 * @param jobs the jobs, newest first (at most {@value #MAX_JOBS})
 * @param notices what the master wants a teacher to know now, e.g. a kind no worker runs
 */
public record StatusReport(
    String phase,
    long uptimeMillis,
    long submitted,
    long pending,
    long leased,
    long succeeded,
    long failed,
    long cancelled,
    long duplicates,
    long forged,
    long refusedConnections,
    long busyRefusals,
    List<Guesser> guessers,
    double tasksPerSecond,
    List<Long> history,
    List<WorkerStatus> workers,
    int workersTotal,
    List<RecentResult> recent,
    List<RecentResult> failures,
    List<JobStatus> jobs,
    List<String> notices)
    implements Serializable {
  public static final int MAX_WORKERS = 200;
  public static final int MAX_JOBS = 100;

  public StatusReport {
    if (!phase.equals("RUNNING") && !phase.equals("FINISHED")) {
      throw new IllegalArgumentException("a master's phase is RUNNING or FINISHED, not " + phase);
    }
    guessers = List.copyOf(guessers);
    history = List.copyOf(history);
    workers = List.copyOf(workers);
    recent = List.copyOf(recent);
    failures = List.copyOf(failures);
    jobs = List.copyOf(jobs);
    notices = List.copyOf(notices);
  }

  /**
   * One worker as the master sees it.
   *
   * @param name its unique name
   * @param host its host name
   * @param connected whether a session of it is live
   * @param threads tasks it runs at once
   * @param done tasks it completed
   * @param failed tasks whose final attempt failed on it
   * @param tasksPerSecond its completions per second over the last 5 seconds
   * @param meanMillis mean time per task on the worker
   * @param lastSeenMillisAgo time since its last call
   * @param acceptsCode whether it runs code the master ships
   * @param currentJob tasks it completed for the current job
   */
  public record WorkerStatus(
      String name,
      String host,
      boolean connected,
      int threads,
      long done,
      long failed,
      double tasksPerSecond,
      double meanMillis,
      long lastSeenMillisAgo,
      boolean acceptsCode,
      long currentJob) {}

  /**
   * A collected task, shortened for display.
   *
   * @param id the task id
   * @param kind the task kind
   * @param input its input (at most 80 characters)
   * @param ok whether it succeeded
   * @param text its value or error (at most 120 characters)
   * @param worker the worker that produced it
   */
  public record RecentResult(
      long id, String kind, String input, boolean ok, String text, String worker) {}

  /**
   * A peer that showed a wrong code recently: a student who mistyped it, or someone guessing. The
   * master shuts nobody out; each wrong code is answered after a delay, which keeps guessing slow.
   *
   * @param peer an IPv4 address or an IPv6 /64
   * @param wrongCodes the wrong codes it showed since the master started
   * @param secondsSinceLast since its last one
   */
  public record Guesser(String peer, long wrongCodes, long secondsSinceLast) {}

  /**
   * A job, for the table of jobs.
   *
   * @param id its number
   * @param spec the job as it was typed, with its options
   * @param submitter who submitted it: {@code prompt}, {@code teacher}, {@code student ADDRESS}, or
   *     empty for a library's job
   * @param state {@code QUEUED}, {@code RUNNING}, {@code FINISHED} or {@code CANCELLED}
   * @param submitted its tasks
   * @param succeeded tasks collected with a value
   * @param failed tasks that failed
   * @param cancelled tasks withdrawn when it was cancelled
   * @param pending tasks waiting for a worker
   * @param leased tasks held by workers
   * @param workMillis from its first task taken to its last result (so far)
   * @param waitMillis from its start to its first task taken
   * @param workers how many workers did its tasks
   * @param shares its tasks done per worker, the most first (at most 50)
   */
  public record JobStatus(
      long id,
      String spec,
      String submitter,
      String state,
      long submitted,
      long succeeded,
      long failed,
      long cancelled,
      long pending,
      long leased,
      long workMillis,
      long waitMillis,
      int workers,
      List<Share> shares) {
    public JobStatus {
      shares = List.copyOf(shares);
    }
  }

  /**
   * One worker's part of a job.
   *
   * @param worker its name
   * @param tasks tasks it completed or failed for the job
   */
  public record Share(String worker, long tasks) {}

  /** On the wire it travels packed ({@code StatusCodec}): nothing else is ever deserialized. */
  private Object writeReplace() {
    return org.rmiq.internal.wire.StatusCodec.pack(this);
  }
}
