package org.rmiq.master;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.Slot;

/**
 * How many tasks a session may hold, and when a running task gets a backup copy: pure functions of
 * what sessions did and the time, so the rules are tested without a dispatcher.
 *
 * <ul>
 *   <li><b>Caps follow delivered work, never claims.</b> A session may hold twice its threads plus
 *       twice what it delivered in the last second, but never more than it has earned: {@value
 *       #START} tasks to start with, plus two for each result it ever delivered. A worker that
 *       declares 4,096 threads and delivers nothing holds {@value #START}; one that finishes tiny
 *       tasks fast soon gets large batches.
 *   <li><b>Work spreads by free threads.</b> While the waiting tasks would not even fill the idle
 *       threads of the other sessions, a session gets at most as many as it has threads free:
 *       prefetch only ever uses headroom nobody idle could use, so six long tasks on three workers
 *       of two threads run two on each.
 *   <li><b>Backup copies.</b> When a session has a free thread and nothing waits that it could run,
 *       the oldest running task held longer than its job's hold limit is handed to it as well; the
 *       first result wins, so no holder, hostile or just slow, keeps a job from ending. The hold
 *       limit is four times the job's mean task time (at least a second), or {@value
 *       #UNKNOWN_HOLD_SECONDS} s before any task of the job finished.
 * </ul>
 */
final class LeasePolicy {
  static final long QUARTER = TimeUnit.MILLISECONDS.toNanos(250);

  /** What a new session may hold before it delivered anything. */
  static final int START = 16;

  /** The hold limit of a job none of whose tasks has finished yet. */
  static final long UNKNOWN_HOLD_SECONDS = 10;

  private LeasePolicy() {}

  /**
   * The room each live session of {@code link} says it has, from an exchange's slots; the ids of
   * sessions the link does not have go to {@code unknown} (the worker reopens them).
   */
  static Map<Registry.SessionRec, Integer> room(
      Registry.LinkRec link, List<Slot> slots, List<String> unknown) {
    Map<Registry.SessionRec, Integer> room = new HashMap<>();
    for (Slot slot : slots) {
      Registry.SessionRec live = link.sessions.get(slot.sessionId());
      if (live == null) {
        unknown.add(slot.sessionId());
      } else if (slot.room() > 0) {
        room.put(live, slot.room());
      }
    }
    return room;
  }

  /** The most tasks {@code s} may hold at {@code now}: what it may prefetch, within its trust. */
  static int cap(Registry.SessionRec s, long now) {
    roll(s, now);
    long recent = s.recent[0] + s.recent[1] + s.recent[2] + s.recent[3];
    long earned = START + 2 * s.delivered;
    return (int) Math.min(ExchangeRequest.MAX_TASKS, Math.min(2L * s.threads + 2 * recent, earned));
  }

  /** The threads of {@code s} not running (or about to run) a task it holds. */
  static int freeThreads(Registry.SessionRec s) {
    return Math.max(0, s.threads - s.held.size());
  }

  /**
   * How many more tasks {@code s} may take now: within its cap and the room it asked for, and,
   * while the waiting tasks ({@code waiting}) would not fill the free threads of the others ({@code
   * idleElsewhere}), no more than its own free threads plus what nobody idle could use.
   */
  static int allowance(
      Registry.SessionRec s, int room, long now, long waiting, long idleElsewhere) {
    int byCap = Math.min(room, Math.max(0, cap(s, now) - s.held.size()));
    int free = freeThreads(s);
    long spare = Math.max(0, waiting - idleElsewhere - free); // headroom nobody idle could use
    return (int) Math.min(byCap, free + spare);
  }

  /** Counts {@code n} results {@code s} delivered at {@code now} (results that counted). */
  static void delivered(Registry.SessionRec s, int n, long now) {
    roll(s, now);
    s.recent[(int) (s.recentQuarter & 3)] += Math.max(0, n);
    s.delivered += Math.max(0, n);
  }

  /** Moves a session's delivery counts on to the quarter-second of {@code now}. */
  static void roll(Registry.SessionRec s, long now) {
    long quarter = now / QUARTER;
    long behind = quarter - s.recentQuarter;
    if (behind <= 0) {
      return;
    }
    for (long q = 1; q <= Math.min(behind, 4); q++) {
      s.recent[(int) ((s.recentQuarter + q) & 3)] = 0;
    }
    s.recentQuarter = quarter;
  }

  /**
   * How many tasks to give one session in a row while {@code asking} sessions share what is there:
   * what it may still take divided among them, at least one, so tiny tasks travel thousands to a
   * call and every session gets its turn.
   */
  static int burst(int left, int asking) {
    return Math.max(1, left / Math.max(1, asking));
  }

  /**
   * How long a task of a job whose {@code finished} tasks took {@code totalMillis} together may be
   * held before an idle session gets a backup copy.
   */
  static long holdLimitNanos(long finished, long totalMillis) {
    if (finished == 0) {
      return TimeUnit.SECONDS.toNanos(UNKNOWN_HOLD_SECONDS);
    }
    long mean = totalMillis / finished;
    return Math.max(TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(4 * mean));
  }

  /**
   * Whether a task leased at {@code leasedAt} is held long enough for a backup copy at {@code now}.
   */
  static boolean wantsBackup(TaskEntry entry, long now) {
    return entry.current.size() == 1
        && entry.replicas() == 1
        && now - entry.leasedAt >= holdLimitNanos(entry.job.finishedOk, entry.job.finishedOkMillis);
  }
}
