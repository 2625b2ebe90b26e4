package org.rmiq.worker;

import java.util.concurrent.TimeUnit;

/**
 * When a link calls the master next: a pure function of what the link knows and the time, so the
 * rules are tested with numbers instead of clocks.
 *
 * <ul>
 *   <li>Results go at once when nothing else runs here or a thread is about to idle (a lone task's
 *       latency); otherwise they wait up to a linger for others to join them.
 *   <li>An idle link with room waits inside the master for work (a long poll) at once, so a task
 *       submitted now starts now; only a poll that came back empty early pauses first.
 *   <li>A busy link tops up once per linger, or at once for a thread about to idle; after the
 *       master had nothing it asks again after a short pause (a second once the master finished its
 *       job).
 *   <li>And at least once per heartbeat, which renews every lease.
 * </ul>
 */
final class ExchangeTiming {
  /** How soon a link with room asks again after the master had nothing. */
  static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** The longest an idle link waits inside the master for a task. */
  static final long LONG_POLL_MILLIS = 1000;

  private ExchangeTiming() {}

  /**
   * What the link knows (times in ticker nanoseconds).
   *
   * @param firstReadyAt when the oldest unsent result was ready; {@code Long.MAX_VALUE} when none
   * @param wants some worker has room for tasks
   * @param idle no task is held on the link
   * @param urgent a worker's thread is about to idle
   * @param finishedSeen the master said it finished its job
   * @param emptyEarly the last long poll got nothing and came back before half its wait
   * @param lastGaveNothing the last call asked for tasks and got none
   * @param lastCallAt when the last call started
   * @param heartbeatNanos the master's heartbeat
   */
  record State(
      long firstReadyAt,
      boolean wants,
      boolean idle,
      boolean urgent,
      boolean finishedSeen,
      boolean emptyEarly,
      boolean lastGaveNothing,
      long lastCallAt,
      long heartbeatNanos) {}

  /**
   * The decision.
   *
   * @param go call now
   * @param waitMillis when going: how long the master may hold the call waiting for a task
   * @param nextAt when not going: when to look again (ticker nanoseconds)
   */
  record Decision(boolean go, long waitMillis, long nextAt) {}

  static Decision decide(State s, long now) {
    boolean results = s.firstReadyAt() != Long.MAX_VALUE;
    long next = s.lastCallAt() + s.heartbeatNanos();
    boolean go = now >= next;
    if (results) {
      long lingerEnd = s.firstReadyAt() + TaskDesk.LINGER_NANOS;
      go |= s.idle() || s.urgent() || now >= lingerEnd;
      next = Math.min(next, lingerEnd);
    } else if (s.wants()) {
      long askAt;
      if (s.idle() && !s.finishedSeen()) {
        askAt = s.emptyEarly() ? s.lastCallAt() + POLL_NANOS : now;
      } else if (s.lastGaveNothing()) {
        askAt = s.lastCallAt() + (s.finishedSeen() ? TimeUnit.SECONDS.toNanos(1) : POLL_NANOS);
      } else {
        askAt = s.urgent() ? now : s.lastCallAt() + TaskDesk.LINGER_NANOS;
      }
      go |= now >= askAt;
      next = Math.min(next, askAt);
    }
    if (!go) {
      return new Decision(false, 0, next);
    }
    boolean longPoll = s.wants() && s.idle() && !results && !s.finishedSeen();
    long wait =
        longPoll
            ? Math.min(LONG_POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(s.heartbeatNanos()) * 3 / 4)
            : 0;
    return new Decision(true, wait, now);
  }
}
