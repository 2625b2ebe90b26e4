package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.util.List;

/**
 * What a master is doing, for the status page, {@code /api/status}, {@code /metrics} and {@code
 * rmiq-status.sh}.
 *
 * @param phase {@code RUNNING} or {@code FINISHED}
 * @param uptimeMillis how long the master has been serving
 * @param submitted tasks submitted, all jobs together
 * @param pending tasks waiting for a worker (including retries backing off)
 * @param leased tasks held by workers
 * @param succeeded tasks collected with a value
 * @param failed tasks collected as failed (dead letters, cancelled tasks)
 * @param duplicates late or repeated results discarded
 * @param forged results refused because their session never held the task's lease
 * @param refusedConnections connections that failed the handshake
 * @param busyRefusals connections turned away because the master was at a limit ("busy")
 * @param blocked peers shut out for failing the handshake too often
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
    MasterPhase phase,
    long uptimeMillis,
    long submitted,
    long pending,
    long leased,
    long succeeded,
    long failed,
    long duplicates,
    long forged,
    long refusedConnections,
    long busyRefusals,
    List<BlockedPeer> blocked,
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
    blocked = List.copyOf(blocked);
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
      long currentJob) {

    void write(Packer out) {
      out.text(name)
          .text(host)
          .bool(connected)
          .i32(threads)
          .i64(done)
          .i64(failed)
          .f64(tasksPerSecond)
          .f64(meanMillis)
          .i64(lastSeenMillisAgo)
          .bool(acceptsCode)
          .i64(currentJob);
    }

    static WorkerStatus read(Unpacker in) throws InvalidObjectException {
      return new WorkerStatus(
          in.text(Texts.MAX_SHORT),
          in.text(Texts.MAX_SHORT),
          in.bool(),
          in.i32(),
          in.i64(),
          in.i64(),
          in.f64(),
          in.f64(),
          in.i64(),
          in.bool(),
          in.i64());
    }
  }

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
      long id, String kind, String input, boolean ok, String text, String worker) {

    void write(Packer out) {
      out.i64(id).text(kind).text(input).bool(ok).text(text).text(worker);
    }

    static RecentResult read(Unpacker in) throws InvalidObjectException {
      return new RecentResult(
          in.i64(), in.text(32), in.text(200), in.bool(), in.text(200), in.text(Texts.MAX_SHORT));
    }
  }

  /**
   * A peer the master shuts out for now.
   *
   * @param peer an IPv4 address or an IPv6 /64
   * @param failures its failed handshakes
   * @param secondsLeft until its new connections are accepted again
   */
  public record BlockedPeer(String peer, long failures, long secondsLeft) {
    void write(Packer out) {
      out.text(peer).i64(failures).i64(secondsLeft);
    }

    static BlockedPeer read(Unpacker in) throws InvalidObjectException {
      return new BlockedPeer(in.text(64), in.i64(), in.i64());
    }
  }

  /**
   * A job, for the table of jobs.
   *
   * @param id its number
   * @param spec the job as it was typed
   * @param state {@code QUEUED}, {@code RUNNING}, {@code FINISHED} or {@code CANCELLED}
   * @param submitted its tasks
   * @param succeeded tasks collected with a value
   * @param failed tasks that failed (or were cancelled)
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
      String state,
      long submitted,
      long succeeded,
      long failed,
      long pending,
      long leased,
      long workMillis,
      long waitMillis,
      int workers,
      List<Share> shares) {
    public JobStatus {
      shares = List.copyOf(shares);
    }

    void write(Packer out) {
      out.i64(id)
          .text(spec)
          .text(state)
          .i64(submitted)
          .i64(succeeded)
          .i64(failed)
          .i64(pending)
          .i64(leased)
          .i64(workMillis)
          .i64(waitMillis)
          .i32(workers)
          .list(shares, Share::write);
    }

    static JobStatus read(Unpacker in) throws InvalidObjectException {
      return new JobStatus(
          in.i64(),
          in.text(1024),
          in.text(16),
          in.i64(),
          in.i64(),
          in.i64(),
          in.i64(),
          in.i64(),
          in.i64(),
          in.i64(),
          in.i32(),
          in.list(50, Share::read));
    }
  }

  /**
   * One worker's part of a job.
   *
   * @param worker its name
   * @param tasks tasks it completed or failed for the job
   */
  public record Share(String worker, long tasks) {
    void write(Packer out) {
      out.text(worker).i64(tasks);
    }

    static Share read(Unpacker in) throws InvalidObjectException {
      return new Share(in.text(Texts.MAX_SHORT), in.i64());
    }
  }

  private Object writeReplace() {
    return Packed.of(
        Packed.STATUS_REPORT,
        out ->
            out.bool(phase == MasterPhase.FINISHED)
                .i64(uptimeMillis)
                .i64(submitted)
                .i64(pending)
                .i64(leased)
                .i64(succeeded)
                .i64(failed)
                .i64(duplicates)
                .i64(forged)
                .i64(refusedConnections)
                .i64(busyRefusals)
                .list(blocked, BlockedPeer::write)
                .f64(tasksPerSecond)
                .longs(history)
                .list(workers, WorkerStatus::write)
                .i32(workersTotal)
                .list(recent, RecentResult::write)
                .list(failures, RecentResult::write)
                .list(jobs, JobStatus::write)
                .texts(notices));
  }

  static StatusReport read(Unpacker in) throws InvalidObjectException {
    return new StatusReport(
        in.bool() ? MasterPhase.FINISHED : MasterPhase.RUNNING,
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.i64(),
        in.list(1000, BlockedPeer::read),
        in.f64(),
        in.longs(1000),
        in.list(MAX_WORKERS, WorkerStatus::read),
        in.i32(),
        in.list(100, RecentResult::read),
        in.list(100, RecentResult::read),
        in.list(MAX_JOBS, JobStatus::read),
        in.texts(100, 4096));
  }
}
