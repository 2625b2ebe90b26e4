package org.rmiq.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * The dispatcher's two clocks on tasks: failed tasks waiting out a retry back-off that doubles with
 * each attempt, and leases that run against their job's task timeout. Not thread-safe: guarded by
 * the dispatcher's lock, like the entries it holds.
 */
final class RetryClock {
  private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(30).toNanos();
  private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final long retryBackoffNanos;

  /** Tasks waiting out a retry back-off, the soonest due first. */
  private final PriorityQueue<TaskEntry> backingOff =
      new PriorityQueue<>(Comparator.comparingLong((TaskEntry e) -> e.retryAt));

  /** Leases that run against a task timeout, the soonest deadline first. */
  private final PriorityQueue<Deadline> deadlines =
      new PriorityQueue<>(Comparator.comparingLong(Deadline::at));

  /** A lease that runs against a task timeout: the entry's attempt {@code attempt}. */
  record Deadline(long at, TaskEntry entry, int attempt) {}

  RetryClock(Duration retryBackoff) {
    this.retryBackoffNanos = retryBackoff.toNanos();
  }

  /** Holds a failed task back: 0.5 s, 1 s, 2 s… after its 1st, 2nd, 3rd attempt, at most 30 s. */
  void backOff(TaskEntry entry, long now) {
    int doublings = Math.min(entry.attempts - 1, 16);
    entry.retryAt = now + Math.min(retryBackoffNanos << doublings, MAX_BACKOFF_NANOS);
    entry.backingOff = true;
    backingOff.add(entry);
  }

  /** Takes a task out of its back-off early (it was collected meanwhile). */
  void forget(TaskEntry entry) {
    if (entry.backingOff) {
      backingOff.remove(entry);
      entry.backingOff = false;
    }
  }

  /** The tasks whose back-off is over, taken off the clock, soonest first. */
  List<TaskEntry> due(long now) {
    List<TaskEntry> due = new ArrayList<>();
    while (!backingOff.isEmpty() && backingOff.peek().retryAt <= now) {
      TaskEntry entry = backingOff.poll();
      entry.backingOff = false;
      due.add(entry);
    }
    return due;
  }

  boolean anyBackingOff() {
    return !backingOff.isEmpty();
  }

  /** How long a waiting exchange may sleep: {@code left}, or until the next retry is due. */
  long sleepFor(long left, long now) {
    return backingOff.isEmpty()
        ? left
        : Math.min(left, Math.max(MIN_WAIT_NANOS, backingOff.peek().retryAt - now));
  }

  /**
   * Starts the task timeout of the attempt just leased, if its job has one: the attempt may run for
   * the timeout plus a tenth (at least a second) for the trip.
   */
  void watch(TaskEntry entry, long now) {
    long timeout = TimeUnit.MILLISECONDS.toNanos(entry.timeoutMillis());
    if (timeout > 0) {
      long slack = Math.max(TimeUnit.SECONDS.toNanos(1), timeout / 10);
      entry.deadline = now + timeout + slack;
      deadlines.add(new Deadline(entry.deadline, entry, entry.attempts));
    }
  }

  /**
   * Leases that ran past their deadline, taken off the clock; some may be stale (collected,
   * re-issued or released since), which the caller checks.
   */
  List<Deadline> overdue(long now) {
    List<Deadline> overdue = new ArrayList<>();
    while (!deadlines.isEmpty() && deadlines.peek().at() <= now) {
      overdue.add(deadlines.poll());
    }
    return overdue;
  }
}
