package org.rmiq.worker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rmiq.common.TakeRequest;

/**
 * How many tasks a worker holds and how many more it should take: its threads plus a prefetch
 * worth about {@value #PIPELINE_MILLIS} ms of work, so slow tasks are never hoarded (an idle
 * worker elsewhere gets them) while tiny ones travel in large batches. A fixed prefetch can be
 * set instead. The take loop waits until at least half the allowance is free, so takes are few
 * and large.
 */
final class TaskAllowance {
  static final long PIPELINE_MILLIS = 200;
  private static final long PIPELINE_NANOS = TimeUnit.MILLISECONDS.toNanos(PIPELINE_MILLIS);

  private final int threads;
  /** The prefetch the user fixed, or -1 to adapt it to the tasks' duration. */
  private final int fixedPrefetch;
  /** Tasks taken and not yet finished (running or waiting for a thread). */
  private final AtomicInteger held = new AtomicInteger();
  private final Object roomFreed = new Object();
  /** A moving average of task durations; NaN until the first task finishes. */
  private volatile double meanTaskNanos = Double.NaN;

  /** Called when the last held task finishes. */
  private final Runnable onIdle;

  TaskAllowance(int threads, int fixedPrefetch, Runnable onIdle) {
    this.threads = threads;
    this.fixedPrefetch = fixedPrefetch;
    this.onIdle = onIdle;
  }

  /** The most tasks this worker should hold now. */
  int capacity() {
    return threads + prefetch();
  }

  private int prefetch() {
    if (fixedPrefetch >= 0) {
      return fixedPrefetch;
    }
    double mean = meanTaskNanos;
    if (Double.isNaN(mean)) {
      return threads;
    }
    long rounds = (long) Math.ceil(PIPELINE_NANOS / Math.max(mean, 1_000));
    long most = (TakeRequest.MAX_BATCH - threads) / threads;
    return (int) (threads * Math.max(1, Math.min(rounds, most)));
  }

  /**
   * Waits up to {@code timeoutMillis} until at least half the allowance is free.
   *
   * @return how many tasks to take (at least 1), or 0 if the wait timed out
   */
  int awaitRoom(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    synchronized (roomFreed) {
      while (true) {
        int capacity = capacity();
        int room = capacity - held.get();
        if (room >= Math.max(1, capacity / 2)) {
          return Math.min(room, TakeRequest.MAX_BATCH);
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return 0;
        }
        roomFreed.wait(left);
      }
    }
  }

  void took(int tasks) {
    held.addAndGet(tasks);
  }

  /** A task finished (or was abandoned) after {@code nanos}; frees its place. */
  void finished(long nanos) {
    double mean = meanTaskNanos;
    meanTaskNanos = Double.isNaN(mean) ? nanos : 0.9 * mean + 0.1 * nanos;
    int capacity = capacity();
    int stillHeld = held.decrementAndGet();
    if (capacity - stillHeld >= Math.max(1, capacity / 2)) {
      synchronized (roomFreed) { // under the lock, so a waiter cannot miss it
        roomFreed.notifyAll();
      }
    }
    if (stillHeld == 0) {
      onIdle.run();
    }
  }

  /** True when no task is held. */
  boolean idle() {
    return held.get() == 0;
  }
}
