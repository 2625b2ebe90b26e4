package org.rmiq.worker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential back-off with jitter: the wait between tries doubles from {@code first} up to
 * {@code max}, each one a random 75–125 % of that, so thirty workers waiting for the same master do
 * not all try again in the same millisecond.
 */
final class Backoff {
  private final long firstMillis;
  private final long maxMillis;
  private long nextMillis;

  Backoff(Duration first, Duration max) {
    this.firstMillis = first.toMillis();
    this.maxMillis = max.toMillis();
    this.nextMillis = firstMillis;
  }

  /** The next wait, in milliseconds; each call doubles the following one up to the cap. */
  long next() {
    long base = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return base * 3 / 4 + ThreadLocalRandom.current().nextLong(Math.max(1, base / 2));
  }

  /** After a success: the next failure waits the shortest time again. */
  void reset() {
    nextMillis = firstMillis;
  }
}
