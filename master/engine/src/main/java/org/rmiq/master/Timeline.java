package org.rmiq.master;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rmiq.report.JobTimeline;
import org.rmiq.report.JobTimeline.State;

/**
 * A job's task timeline in bounded memory: every attempt becomes a span of two longs; ordinary (ok)
 * spans beyond {@value #SAMPLE} are kept as a uniform sample (reservoir sampling), notable ones
 * (failed, backup, re-delivered, cancelled, declined) up to {@value #NOTABLE}. So a timeline holds
 * at most {@value #MAX_BYTES} bytes of spans, whatever the job's size; small jobs keep every span.
 */
final class Timeline {
  static final int SAMPLE = 20_000;
  static final int NOTABLE = 5_000;
  static final int MAX_WORKERS = 4096;

  /** Two longs a span. */
  static final int MAX_BYTES = (SAMPLE + NOTABLE) * 16;

  private final long startNanos;
  private final Object lock = new Object();

  @GuardedBy("lock")
  private final Spans ordinary = new Spans(SAMPLE);

  @GuardedBy("lock")
  private final Spans notable = new Spans(NOTABLE);

  @GuardedBy("lock")
  private final List<String> workers = new ArrayList<>();

  @GuardedBy("lock")
  private final Map<String, Integer> workerIndex = new HashMap<>();

  @GuardedBy("lock")
  private final List<JobTimeline.WorkerEnd> ended = new ArrayList<>();

  @GuardedBy("lock")
  private long seen;

  @GuardedBy("lock")
  private final SplittableRandom random = new SplittableRandom(42);

  /**
   * @param startNanos the job's start on the master's ticker
   */
  Timeline(long startNanos) {
    this.startNanos = startNanos;
  }

  /**
   * Records an attempt that ended at {@code endNanos} after running {@code millis} (as the worker
   * measured it), on {@code worker}'s thread {@code lane} (-1 when unknown).
   */
  @SuppressWarnings("EnumOrdinal") // the packed state lives only in this JVM's memory
  void add(long task, String worker, int lane, long endNanos, long millis, State state) {
    long end = Math.max(0, (endNanos - startNanos) / 1_000_000);
    long start = Math.max(0, end - Math.max(0, millis));
    synchronized (lock) {
      int w = index(worker);
      if (w < 0) {
        return;
      }
      seen++;
      // a: the start in the high 40 bits, the length (at most 4.6 hours) in the low 24;
      // b: the task id, then 12 bits each of worker and lane + 1, then 4 of state
      long a = (start << 24) | Math.min(end - start, (1L << 24) - 1);
      long b =
          (task << 28)
              | ((long) w << 16)
              | ((long) Math.min(Math.max(lane + 1, 0), 0xfff) << 4)
              | state.ordinal();
      if (state == State.OK) {
        ordinary.offer(a, b, seen, random);
      } else {
        notable.add(a, b);
      }
    }
  }

  /** Records that {@code worker} left at {@code atNanos}, silently or saying goodbye. */
  void workerEnded(String worker, long atNanos, boolean silent) {
    synchronized (lock) {
      int w = index(worker);
      if (w >= 0 && ended.size() < MAX_WORKERS) {
        ended.add(
            new JobTimeline.WorkerEnd(w, Math.max(0, (atNanos - startNanos) / 1_000_000), silent));
      }
    }
  }

  @GuardedBy("lock")
  private int index(String worker) {
    Integer w = workerIndex.get(worker);
    if (w == null) {
      if (workers.size() >= MAX_WORKERS) {
        return -1;
      }
      w = workers.size();
      workers.add(worker);
      workerIndex.put(worker, w);
    }
    return w;
  }

  boolean has(String worker) {
    synchronized (lock) {
      return workerIndex.containsKey(worker);
    }
  }

  JobTimeline report(long jobId) {
    synchronized (lock) {
      List<JobTimeline.Span> spans = new ArrayList<>(ordinary.size + notable.size);
      ordinary.addTo(spans);
      notable.addTo(spans);
      // not sorted: the page and the exports need no order (sorting cost an update ~10 ms)
      long kept = (long) ordinary.size + notable.size;
      return new JobTimeline(jobId, workers, spans, ended, seen, kept < seen);
    }
  }

  /** A bounded array of packed spans. */
  private static final class Spans {
    private final int cap;
    private long[] a = new long[64];
    private long[] b = new long[64];
    private int size;

    Spans(int cap) {
      this.cap = cap;
    }

    /** Keeps the span if there is room. */
    void add(long x, long y) {
      if (size < cap) {
        grow();
        a[size] = x;
        b[size] = y;
        size++;
      }
    }

    /** Keeps the {@code n}-th span offered with probability cap / n (algorithm R). */
    void offer(long x, long y, long n, SplittableRandom random) {
      if (size < cap) {
        add(x, y);
        return;
      }
      long slot = random.nextLong(n);
      if (slot < cap) {
        a[(int) slot] = x;
        b[(int) slot] = y;
      }
    }

    private void grow() {
      if (size == a.length) {
        int length = Math.min(cap, a.length * 2);
        a = Arrays.copyOf(a, length);
        b = Arrays.copyOf(b, length);
      }
    }

    void addTo(List<JobTimeline.Span> out) {
      State[] states = State.values();
      for (int i = 0; i < size; i++) {
        long start = a[i] >>> 24;
        long millis = a[i] & ((1L << 24) - 1);
        State state = states[(int) (b[i] & 0xf)];
        int lane = (int) ((b[i] >>> 4) & 0xfff) - 1;
        int worker = (int) ((b[i] >>> 16) & 0xfff);
        long task = b[i] >>> 28;
        out.add(new JobTimeline.Span(task, worker, lane, start, millis, state));
      }
    }
  }
}
