package org.rmiq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The link's timing rules, as numbers: no clock, no thread. */
class ExchangeTimingTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long HEARTBEAT = 1000 * MS;
  private static final long NONE = Long.MAX_VALUE;

  /** A link that called at 0 with nothing to say or ask. */
  private static ExchangeTiming.State quiet() {
    return new ExchangeTiming.State(NONE, false, false, false, false, false, false, 0, HEARTBEAT);
  }

  private static ExchangeTiming.State with(
      long firstReadyAt, boolean wants, boolean idle, boolean urgent) {
    return new ExchangeTiming.State(
        firstReadyAt, wants, idle, urgent, false, false, false, 0, HEARTBEAT);
  }

  @Test
  void aQuietLinkCallsOncePerHeartbeat() {
    ExchangeTiming.Decision before = ExchangeTiming.decide(quiet(), 999 * MS);
    assertFalse(before.go());
    assertEquals(HEARTBEAT, before.nextAt());
    ExchangeTiming.Decision due = ExchangeTiming.decide(quiet(), HEARTBEAT);
    assertTrue(due.go());
    assertEquals(0, due.waitMillis(), "a heartbeat is not a long poll");
  }

  @Test
  void aLoneResultGoesAtOnceWhenNothingElseRuns() {
    ExchangeTiming.Decision d = ExchangeTiming.decide(with(10 * MS, false, true, false), 10 * MS);
    assertTrue(d.go());
    assertEquals(0, d.waitMillis());
  }

  @Test
  void resultsWaitALingerForOthersWhileTasksRun() {
    ExchangeTiming.State busy = with(10 * MS, false, false, false);
    ExchangeTiming.Decision early = ExchangeTiming.decide(busy, 11 * MS);
    assertFalse(early.go());
    assertEquals(10 * MS + TaskDesk.LINGER_NANOS, early.nextAt());
    assertTrue(ExchangeTiming.decide(busy, 10 * MS + TaskDesk.LINGER_NANOS).go());
    assertTrue(
        ExchangeTiming.decide(with(10 * MS, false, false, true), 11 * MS).go(),
        "a thread about to idle does not wait for the linger");
  }

  @Test
  void anIdleLinkWithRoomWaitsInTheMasterAtOnce() {
    ExchangeTiming.Decision d = ExchangeTiming.decide(with(NONE, true, true, false), 1 * MS);
    assertTrue(d.go());
    assertEquals(750, d.waitMillis(), "three quarters of the heartbeat, at most a second");
    ExchangeTiming.State slowBeat =
        new ExchangeTiming.State(NONE, true, true, false, false, false, false, 0, 10_000 * MS);
    assertEquals(
        ExchangeTiming.LONG_POLL_MILLIS, ExchangeTiming.decide(slowBeat, 1 * MS).waitMillis());
  }

  @Test
  void aLongPollThatCameBackEmptyEarlyPausesBeforeTheNext() {
    ExchangeTiming.State s =
        new ExchangeTiming.State(NONE, true, true, false, false, true, true, 0, HEARTBEAT);
    ExchangeTiming.Decision d = ExchangeTiming.decide(s, 50 * MS);
    assertFalse(d.go());
    assertEquals(ExchangeTiming.POLL_NANOS, d.nextAt());
    assertTrue(ExchangeTiming.decide(s, ExchangeTiming.POLL_NANOS).go());
  }

  @Test
  void aBusyLinkTopsUpOncePerLingerOrAtOnceForAnIdlingThread() {
    ExchangeTiming.Decision d = ExchangeTiming.decide(with(NONE, true, false, false), 1 * MS);
    assertFalse(d.go());
    assertEquals(TaskDesk.LINGER_NANOS, d.nextAt());
    assertTrue(ExchangeTiming.decide(with(NONE, true, false, true), 1 * MS).go());
  }

  @Test
  void afterTheMasterHadNothingItAsksAgainAfterAPauseOrASecondOnceTheJobFinished() {
    ExchangeTiming.State nothing =
        new ExchangeTiming.State(NONE, true, false, false, false, false, true, 0, 10_000 * MS);
    assertEquals(ExchangeTiming.POLL_NANOS, ExchangeTiming.decide(nothing, 1 * MS).nextAt());
    ExchangeTiming.State finished =
        new ExchangeTiming.State(NONE, true, true, false, true, false, true, 0, 10_000 * MS);
    ExchangeTiming.Decision d = ExchangeTiming.decide(finished, 1 * MS);
    assertFalse(d.go(), "a finished master is not long-polled");
    assertEquals(1000 * MS, d.nextAt());
    assertEquals(0, ExchangeTiming.decide(finished, 1000 * MS).waitMillis());
  }
}
