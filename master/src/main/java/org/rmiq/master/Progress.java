package org.rmiq.master;

/**
 * The master's counts at one moment.
 *
 * @param submitted tasks submitted so far
 * @param succeeded tasks collected with a value
 * @param failed tasks collected as failed (dead letters)
 * @param pending tasks waiting for a worker
 * @param leased tasks held by workers
 * @param duplicates late or repeated results discarded
 * @param workersConnected live worker sessions
 * @param refusedConnections connections that failed the token handshake
 * @param expiredLeases worker sessions dropped because they stopped answering
 */
public record Progress(
    long submitted,
    long succeeded,
    long failed,
    long pending,
    long leased,
    long duplicates,
    int workersConnected,
    long refusedConnections,
    long expiredLeases) {

  /** Tasks collected, successes and failures alike. */
  public long collected() {
    return succeeded + failed;
  }

  /** Tasks submitted but not yet collected. */
  public long missing() {
    return submitted - collected();
  }
}
