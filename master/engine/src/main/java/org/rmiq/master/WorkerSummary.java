package org.rmiq.master;

/**
 * What one worker did for the master: the sessions of one worker name, together (a worker that
 * re-joins keeps its row).
 *
 * @param name the worker's unique name
 * @param host the worker's host name
 * @param threads how many tasks it runs at once
 * @param connected whether a session of it is live
 * @param succeeded tasks it completed
 * @param failed tasks whose final attempt failed on it
 * @param busyMillis total time its collected tasks ran
 * @param lastSeenNanos when it last called in, on the master's ticker
 * @param acceptsCode whether it runs code the master ships
 */
public record WorkerSummary(
    String name,
    String host,
    int threads,
    boolean connected,
    long succeeded,
    long failed,
    long busyMillis,
    long lastSeenNanos,
    boolean acceptsCode) {

  /** Tasks it completed or failed. */
  public long tasks() {
    return succeeded + failed;
  }

  /** Mean time per task on the worker, in milliseconds (0 before its first task). */
  public double meanMillis() {
    return tasks() == 0 ? 0 : busyMillis / (double) tasks();
  }
}
