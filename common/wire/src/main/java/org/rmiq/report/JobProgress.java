package org.rmiq.report;

import java.time.Duration;

/**
 * One job's counts and timing at one moment.
 *
 * @param submitted its tasks
 * @param succeeded collected with a value
 * @param failed collected as failed: dead letters, each with its last error
 * @param cancelled withdrawn with their cancelled job (not failures)
 * @param pending waiting for a worker
 * @param leased held by workers
 * @param workersConnected worker sessions connected to the master now
 * @param workersJoined whether a worker has joined the master since the job started
 * @param work from its first task taken to its last result so far (zero before the first take)
 * @param waited from its start to its first task taken, when no worker was connected at its start
 *     (so far, while none was taken); zero when workers were there
 */
public record JobProgress(
    long submitted,
    long succeeded,
    long failed,
    long cancelled,
    long pending,
    long leased,
    int workersConnected,
    boolean workersJoined,
    Duration work,
    Duration waited) {

  /** Tasks collected: ok, failed and cancelled alike. */
  public long collected() {
    return succeeded + failed + cancelled;
  }

  /**
   * Tasks not yet collected (waiting or running): ok + failed + cancelled + missing = submitted.
   */
  public long missing() {
    return submitted - collected();
  }
}
