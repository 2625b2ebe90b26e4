package org.rmiq.internal.wire;

import java.io.Serializable;
import java.util.List;

/**
 * A worker session asking for up to {@code max} tasks, waiting at most {@code waitMillis} for the
 * first one to appear (a long poll), and acknowledging the {@code results} it finished since its
 * last call (results ride along with takes, so a busy worker makes one call per batch, not two).
 * Taking also renews the session's leases.
 */
public record TakeRequest(String sessionId, List<TaskResult> results, int max, long waitMillis)
    implements Serializable {

  /** The most tasks one call may take. */
  public static final int MAX_BATCH = 10_000;

  /** The longest a take may wait; kept well below the transport's response timeout. */
  public static final long MAX_WAIT_MILLIS = 5_000;

  public TakeRequest {
    Texts.checkShort("session id", sessionId);
    results = List.copyOf(results);
    if (results.size() > MAX_BATCH) {
      throw new IllegalArgumentException("batch of " + results.size() + " results is too large");
    }
    if (max < 1 || max > MAX_BATCH) {
      throw new IllegalArgumentException("take max must be 1.." + MAX_BATCH + ", was " + max);
    }
    if (waitMillis < 0 || waitMillis > MAX_WAIT_MILLIS) {
      throw new IllegalArgumentException(
          "take wait must be 0.." + MAX_WAIT_MILLIS + " ms, was " + waitMillis);
    }
  }
}
