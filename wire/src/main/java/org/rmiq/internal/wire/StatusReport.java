package org.rmiq.internal.wire;

import java.io.Serializable;
import java.util.List;

/**
 * What a master is doing, for the status page, {@code /api/status} and {@code rmiq-status.sh}.
 *
 * @param phase {@code RUNNING} or {@code FINISHED}
 * @param uptimeMillis how long the master has been serving
 * @param submitted tasks submitted
 * @param pending tasks waiting for a worker (including retries backing off)
 * @param leased tasks held by workers
 * @param succeeded tasks collected with a value
 * @param failed tasks collected as failed (dead letters)
 * @param duplicates late or repeated results discarded
 * @param refusedConnections connections that failed the token handshake
 * @param busyRefusals connections turned away because the master was at a limit ("busy")
 * @param blocked peers shut out for failing the handshake too often
 * @param tasksPerSecond completions per second over the last 5 seconds
 * @param history completions in each of the last seconds, oldest first (at most 120)
 * @param workers every worker that joined
 * @param recent the latest collected results, newest first
 * @param failures the latest failures, newest first
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
    long refusedConnections,
    long busyRefusals,
    List<BlockedPeer> blocked,
    double tasksPerSecond,
    List<Long> history,
    List<WorkerStatus> workers,
    List<RecentResult> recent,
    List<RecentResult> failures)
    implements Serializable {

  public StatusReport {
    history = List.copyOf(history);
    blocked = List.copyOf(blocked);
    workers = List.copyOf(workers);
    recent = List.copyOf(recent);
    failures = List.copyOf(failures);
  }

  /**
   * One worker as the master sees it.
   *
   * @param name its unique name
   * @param host its host name
   * @param connected whether its session is live
   * @param threads tasks it runs at once
   * @param done tasks it completed
   * @param failed tasks whose final attempt failed on it
   * @param tasksPerSecond its completions per second over the last 5 seconds
   * @param meanMillis mean time per task on the worker
   * @param lastSeenMillisAgo time since its last call (heartbeat, take or report)
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
      long lastSeenMillisAgo)
      implements Serializable {}

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
      long id, String kind, String input, boolean ok, String text, String worker)
      implements Serializable {}

  /**
   * A peer the master shuts out for now.
   *
   * @param peer an IPv4 address or an IPv6 /64
   * @param failures its failed handshakes
   * @param secondsLeft until its new connections are accepted again
   */
  public record BlockedPeer(String peer, long failures, long secondsLeft) implements Serializable {}
}
