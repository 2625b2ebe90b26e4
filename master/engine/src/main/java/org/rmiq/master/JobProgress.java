package org.rmiq.master;

import java.time.Duration;

/**
 * One job's counts and timing at one moment.
 *
 * @param submitted its tasks
 * @param succeeded collected with a value
 * @param failed collected as failed (dead letters and, once cancelled, withdrawn tasks)
 * @param pending waiting for a worker
 * @param leased held by workers
 * @param workersConnected worker sessions connected to the master now
 * @param workersJoined whether a worker has joined the master since the job started
 * @param work from its first task taken to its last result so far (zero before the first take)
 * @param waited from its start to its first task taken (so far, while none was taken)
 */
public record JobProgress(
    long submitted,
    long succeeded,
    long failed,
    long pending,
    long leased,
    int workersConnected,
    boolean workersJoined,
    Duration work,
    Duration waited) {

  /** Tasks collected, successes and failures alike. */
  public long collected() {
    return succeeded + failed;
  }

  /** Tasks not yet collected. */
  public long missing() {
    return submitted - collected();
  }
}
