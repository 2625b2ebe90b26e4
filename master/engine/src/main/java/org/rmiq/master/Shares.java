package org.rmiq.master;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's tasks collected per worker name, in the order the workers first delivered; used under the
 * dispatcher's lock. Results arrive in batches from one worker, so the last worker's count is kept
 * at hand: a result then costs no map lookup and no boxed {@code Long} (a map merge per result was
 * a twentieth of the master's exchange thread in a million-square job).
 */
final class Shares {
  private final Map<String, long[]> byWorker = new LinkedHashMap<>();

  /** The worker counted last, and its count. */
  private String last;

  private long[] lastCount;

  /** Counts one task for {@code worker}. */
  void add(String worker) {
    if (lastCount == null || !worker.equals(last)) { // equals looks at identity first
      lastCount = byWorker.computeIfAbsent(worker, name -> new long[1]);
      last = worker;
    }
    lastCount[0]++;
  }

  /** A copy: each worker's count, in the order they first delivered. */
  Map<String, Long> copy() {
    Map<String, Long> copy = new LinkedHashMap<>();
    byWorker.forEach((worker, count) -> copy.put(worker, count[0]));
    return copy;
  }
}
