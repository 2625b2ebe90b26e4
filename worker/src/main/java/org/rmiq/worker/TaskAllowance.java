package org.rmiq.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rmiq.internal.wire.TakeRequest;

/**
 * How many tasks a worker holds and how many more it should take: for each pool of threads (lane)
 * in use, its threads plus a prefetch worth about {@value #PIPELINE_MILLIS} ms of work, so slow
 * tasks are never hoarded (an idle worker elsewhere gets them) while tiny ones travel in large
 * batches. A fixed prefetch can be set instead. The take loop waits until at least half the
 * allowance is free, so takes are few and large.
 *
 * <p>The shared lane ({@code --threads}) always counts; a kind with a pool of its own (downloads)
 * adds its lane only while it has tasks, or had some in the last second. So a worker with 8
 * download slots does not take 8 extra sleep tasks it could not start, and a download job opens the
 * download lane after the first take.
 */
final class TaskAllowance {
  static final long PIPELINE_MILLIS = 200;
  private static final long PIPELINE_NANOS = TimeUnit.MILLISECONDS.toNanos(PIPELINE_MILLIS);

  /** How long an own lane stays open after its last task, so a job's lane does not flicker. */
  private static final long LANE_LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The prefetch the user fixed, or -1 to adapt it to the tasks' duration. */
  private final int fixedPrefetch;

  private final Lane shared;

  /** Lanes of kinds with their own pools, by kind. */
  private final Map<String, Lane> own = new HashMap<>();

  /** Tasks taken and not yet finished (running or waiting for a thread), in every lane. */
  private final AtomicInteger held = new AtomicInteger();

  private final Object roomFreed = new Object();

  /** Called when the last held task finishes. */
  private final Runnable onIdle;

  /**
   * @param threads the shared pool's threads
   * @param ownThreads the threads of each kind that has a pool of its own
   */
  TaskAllowance(int threads, Map<String, Integer> ownThreads, int fixedPrefetch, Runnable onIdle) {
    this.shared = new Lane(threads);
    ownThreads.forEach((kind, n) -> own.put(kind, new Lane(n)));
    this.fixedPrefetch = fixedPrefetch;
    this.onIdle = onIdle;
  }

  /** One pool of threads: its size, how many of its tasks are held, how long they take. */
  private static final class Lane {
    final int threads;
    final AtomicInteger held = new AtomicInteger();

    /** A moving average of task durations; NaN until the first task finishes. */
    volatile double meanTaskNanos = Double.NaN;

    /** When it last took or finished a task; starts long enough ago to be closed. */
    volatile long lastActiveNanos = System.nanoTime() - 2 * LANE_LINGER_NANOS;

    Lane(int threads) {
      this.threads = threads;
    }

    boolean open(long now) {
      return held.get() > 0 || now - lastActiveNanos < LANE_LINGER_NANOS;
    }
  }

  /** The most tasks this worker should hold now. */
  int capacity() {
    long now = System.nanoTime();
    long capacity = (long) shared.threads + prefetch(shared);
    for (Lane lane : own.values()) {
      if (lane.open(now)) {
        capacity += (long) lane.threads + prefetch(lane);
      }
    }
    return (int) Math.min(capacity, TakeRequest.MAX_BATCH);
  }

  private int prefetch(Lane lane) {
    if (fixedPrefetch >= 0) {
      return fixedPrefetch;
    }
    double mean = lane.meanTaskNanos;
    if (Double.isNaN(mean)) {
      return lane.threads;
    }
    long rounds = (long) Math.ceil(PIPELINE_NANOS / Math.max(mean, 1_000));
    long most = (long) (TakeRequest.MAX_BATCH - lane.threads) / lane.threads;
    return (int) (lane.threads * Math.max(1L, Math.min(rounds, most)));
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

  /** A task of {@code kind} was taken. */
  void took(String kind) {
    Lane lane = laneOf(kind);
    lane.held.incrementAndGet();
    lane.lastActiveNanos = System.nanoTime();
    held.incrementAndGet();
  }

  /** A task of {@code kind} finished (or was abandoned) after {@code nanos}; frees its place. */
  void finished(String kind, long nanos) {
    Lane lane = laneOf(kind);
    double mean = lane.meanTaskNanos;
    lane.meanTaskNanos = Double.isNaN(mean) ? nanos : 0.9 * mean + 0.1 * nanos;
    lane.lastActiveNanos = System.nanoTime();
    lane.held.decrementAndGet();
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

  private Lane laneOf(String kind) {
    return own.getOrDefault(kind, shared);
  }
}
