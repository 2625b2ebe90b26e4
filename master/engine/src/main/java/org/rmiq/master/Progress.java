package org.rmiq.master;

/**
 * The master's counts at one moment, all jobs together.
 *
 * @param submitted tasks submitted so far
 * @param succeeded tasks collected with a value
 * @param failed tasks collected as failed (dead letters)
 * @param cancelled tasks withdrawn with their cancelled job
 * @param pending tasks waiting for a worker
 * @param leased tasks held by workers
 * @param duplicates late or repeated results discarded
 * @param forged results refused because their session never held the task
 * @param workersConnected live worker sessions
 * @param refusedConnections connections that failed the handshake
 * @param expiredLeases worker links dropped because they stopped answering
 */
public record Progress(
    long submitted,
    long succeeded,
    long failed,
    long cancelled,
    long pending,
    long leased,
    long duplicates,
    long forged,
    int workersConnected,
    long refusedConnections,
    long expiredLeases) {

  /** Tasks collected: ok, failed and cancelled alike. */
  public long collected() {
    return succeeded + failed + cancelled;
  }

  /** Tasks submitted but not yet collected. */
  public long missing() {
    return submitted - collected();
  }
}
