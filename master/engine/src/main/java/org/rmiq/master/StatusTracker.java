package org.rmiq.master;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.rmiq.report.StatusReport.RecentResult;
import org.rmiq.report.TaskOutcome;

/**
 * Keeps what the status views show that the queue does not: completions per second (overall, for
 * the chart, and per worker, for their rates) and the latest results and failures.
 */
final class StatusTracker {
  static final int HISTORY_SECONDS = 120;
  static final int RATE_SECONDS = 5;
  static final int RECENT = 20;

  private final Ticker ticker;
  private final Object lock = new Object();

  /** Completions per second, the newest last; covers the current second and up to 119 before. */
  @GuardedBy("lock")
  private final Deque<long[]> seconds = new ArrayDeque<>();

  /** Per worker: completions in each of the last {@value #RATE_SECONDS} seconds. */
  @GuardedBy("lock")
  private final Map<String, long[]> workerSeconds = new HashMap<>();

  @GuardedBy("lock")
  private final Deque<RecentResult> recent = new ArrayDeque<>();

  @GuardedBy("lock")
  private final Deque<RecentResult> failures = new ArrayDeque<>();

  StatusTracker(Ticker ticker) {
    this.ticker = ticker;
  }

  void record(List<TaskOutcome> outcomes) {
    long second = nowSecond();
    synchronized (lock) {
      long[] bucket = bucket(second);
      for (int i = 0; i < outcomes.size(); i++) {
        TaskOutcome o = outcomes.get(i);
        if (o.state() == TaskOutcome.State.CANCELLED) {
          continue; // withdrawn, not done: neither throughput nor a failure
        }
        bucket[1]++;
        long[] ring = workerSeconds.computeIfAbsent(o.worker(), w -> new long[RATE_SECONDS * 2]);
        int slot = (int) (second % RATE_SECONDS);
        if (ring[slot * 2] != second) {
          ring[slot * 2] = second;
          ring[slot * 2 + 1] = 0;
        }
        ring[slot * 2 + 1]++;
        // Only the last RECENT of a batch can stay in the list: skip building the others.
        boolean shownAsRecent = i >= outcomes.size() - RECENT;
        if (shownAsRecent || !o.ok()) {
          RecentResult shown =
              new RecentResult(
                  o.id(),
                  o.kind(),
                  shorten(o.input(), 80),
                  o.ok(),
                  shorten(o.ok() ? o.value() : o.error(), 120),
                  o.worker());
          if (shownAsRecent) {
            push(recent, shown);
          }
          if (!o.ok()) {
            push(failures, shown);
          }
        }
      }
    }
  }

  /** Completions in each of the last seconds, oldest first, ending with the last whole one. */
  List<Long> history() {
    long now = nowSecond();
    synchronized (lock) {
      List<Long> counts = new ArrayList<>();
      long first = now - HISTORY_SECONDS;
      for (long s = first; s < now; s++) {
        counts.add(0L);
      }
      for (long[] b : seconds) {
        if (b[0] >= first && b[0] < now) {
          counts.set((int) (b[0] - first), b[1]);
        }
      }
      return counts;
    }
  }

  /** Completions per second over the last {@value #RATE_SECONDS} whole seconds. */
  double rate() {
    List<Long> h = history();
    return h.subList(h.size() - RATE_SECONDS, h.size()).stream().mapToLong(Long::longValue).sum()
        / (double) RATE_SECONDS;
  }

  /** One worker's completions per second over the last {@value #RATE_SECONDS} seconds. */
  double rate(String worker) {
    long now = nowSecond();
    synchronized (lock) {
      long[] ring = workerSeconds.get(worker);
      if (ring == null) {
        return 0;
      }
      long sum = 0;
      for (int slot = 0; slot < RATE_SECONDS; slot++) {
        long second = ring[slot * 2];
        if (second < now && second >= now - RATE_SECONDS) {
          sum += ring[slot * 2 + 1];
        }
      }
      return sum / (double) RATE_SECONDS;
    }
  }

  List<RecentResult> recent() {
    synchronized (lock) {
      return List.copyOf(recent);
    }
  }

  List<RecentResult> failures() {
    synchronized (lock) {
      return List.copyOf(failures);
    }
  }

  @GuardedBy("lock")
  private long[] bucket(long second) {
    long[] last = seconds.peekLast();
    if (last == null || last[0] != second) {
      last = new long[] {second, 0};
      seconds.addLast(last);
      while (seconds.size() > HISTORY_SECONDS + 1) {
        seconds.removeFirst();
      }
    }
    return last;
  }

  private static void push(Deque<RecentResult> list, RecentResult r) {
    list.addFirst(r);
    if (list.size() > RECENT) {
      list.removeLast();
    }
  }

  private long nowSecond() {
    return TimeUnit.NANOSECONDS.toSeconds(ticker.read());
  }

  private static String shorten(String text, int max) {
    if (text == null) {
      return "";
    }
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
