package org.rmiq.worker;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.rmiq.internal.wire.ExchangeRequest;

/**
 * How many tasks a worker holds and how many more it should take: for each pool of threads in use,
 * its threads plus a prefetch worth about {@value #PIPELINE_MILLIS} ms of work, so slow tasks are
 * never hoarded (an idle worker elsewhere gets them) while tiny ones travel in large batches. A
 * fixed prefetch can be set instead. The link asks again once at least half the allowance is free,
 * so exchanges are few and large.
 *
 * <p>The shared pool ({@code --threads}) always counts; a kind with a pool of its own (downloads)
 * adds its pool only while it has tasks, or had some in the last second. So a worker with 8
 * download slots does not take 8 extra sleep tasks it could not start, and a download job opens the
 * download pool after the first exchange.
 */
final class TaskAllowance {
  static final long PIPELINE_MILLIS = 200;

  /** About how long a run of short tasks handed to one thread together takes (see perHandOff). */
  static final long RUN_MICROS = 1_000;

  static final int MOST_PER_HAND_OFF = 256;
  private static final long PIPELINE_NANOS = TimeUnit.MILLISECONDS.toNanos(PIPELINE_MILLIS);

  /** How long an own pool stays open after its last task, so a job's pool does not flicker. */
  private static final long OPEN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Ticker ticker;

  /** The prefetch the user fixed, or -1 to adapt it to the tasks' duration. */
  private final int fixedPrefetch;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final Pool shared;

  /** Pools of kinds that run on threads of their own, by kind. */
  @GuardedBy("lock")
  private final Map<String, Pool> own = new HashMap<>();

  /** Tasks taken and not yet finished (running or waiting for a thread), in every pool. */
  @GuardedBy("lock")
  private int held;

  /**
   * @param threads the shared pool's threads
   * @param ownThreads the threads of each kind that has a pool of its own
   */
  TaskAllowance(Ticker ticker, int threads, Map<String, Integer> ownThreads, int fixedPrefetch) {
    this.ticker = ticker;
    this.fixedPrefetch = fixedPrefetch;
    long closed = ticker.read() - 2 * OPEN_AFTER_NANOS;
    this.shared = new Pool(threads, closed);
    ownThreads.forEach((kind, n) -> own.put(kind, new Pool(n, closed)));
  }

  /** One pool of threads: its size, how many of its tasks are held, how long they take. */
  private static final class Pool {
    final int threads;
    int held;

    /** A moving average of task durations; NaN until the first task finishes. */
    double meanTaskNanos = Double.NaN;

    /** When it last took or finished a task. */
    long lastActive;

    Pool(int threads, long lastActive) {
      this.threads = threads;
      this.lastActive = lastActive;
    }

    boolean open(long now) {
      return held > 0 || now - lastActive < OPEN_AFTER_NANOS;
    }
  }

  /** The most tasks this worker should hold now. */
  int capacity() {
    long now = ticker.read();
    synchronized (lock) {
      long capacity = (long) shared.threads + prefetch(shared);
      for (Pool pool : own.values()) {
        if (pool.open(now)) {
          capacity += (long) pool.threads + prefetch(pool);
        }
      }
      return (int) Math.min(capacity, ExchangeRequest.MAX_TASKS);
    }
  }

  @GuardedBy("lock")
  private int prefetch(Pool pool) {
    if (fixedPrefetch >= 0) {
      return fixedPrefetch;
    }
    if (Double.isNaN(pool.meanTaskNanos)) {
      return pool.threads;
    }
    long rounds = (long) Math.ceil(PIPELINE_NANOS / Math.max(pool.meanTaskNanos, 1_000));
    long most = (long) (ExchangeRequest.MAX_TASKS - pool.threads) / pool.threads;
    return (int) (pool.threads * Math.max(1L, Math.min(rounds, most)));
  }

  /** How many more tasks to take now (0 when full). */
  int room() {
    int capacity = capacity();
    synchronized (lock) {
      return Math.max(0, capacity - held);
    }
  }

  /** Whether at least half the allowance is free: worth asking the master. */
  boolean wantsMore() {
    int capacity = capacity();
    synchronized (lock) {
      return capacity - held >= Math.max(1, capacity / 2);
    }
  }

  /** A task of {@code kind} was taken. */
  void took(String kind) {
    long now = ticker.read();
    synchronized (lock) {
      Pool pool = poolOf(kind);
      pool.held++;
      pool.lastActive = now;
      held++;
    }
  }

  /** A task of {@code kind} finished (or was dropped) after {@code nanos}; frees its place. */
  void finished(String kind, long nanos) {
    long now = ticker.read();
    synchronized (lock) {
      Pool pool = poolOf(kind);
      double mean = pool.meanTaskNanos;
      pool.meanTaskNanos = Double.isNaN(mean) ? nanos : 0.9 * mean + 0.1 * nanos;
      pool.lastActive = now;
      pool.held--;
      held--;
    }
  }

  /**
   * How many tasks of {@code kind} one pool thread should take in one hand-off: about {@value
   * #RUN_MICROS} µs of them by their mean duration so far, at most {@value #MOST_PER_HAND_OFF}; one
   * while their duration is not known or a task takes longer.
   */
  int perHandOff(String kind) {
    double mean;
    synchronized (lock) {
      mean = poolOf(kind).meanTaskNanos;
    }
    if (Double.isNaN(mean) || mean * 2 >= RUN_MICROS * 1000.0) {
      return 1;
    }
    return (int) Math.min(MOST_PER_HAND_OFF, RUN_MICROS * 1000.0 / Math.max(mean, 1_000));
  }

  /** True when no task is held. */
  boolean idle() {
    synchronized (lock) {
      return held == 0;
    }
  }

  /** Tasks held now. */
  int held() {
    synchronized (lock) {
      return held;
    }
  }

  @GuardedBy("lock")
  private Pool poolOf(String kind) {
    return own.getOrDefault(kind, shared);
  }
}
