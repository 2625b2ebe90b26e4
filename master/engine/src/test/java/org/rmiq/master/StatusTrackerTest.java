package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rmiq.report.TaskOutcome;

class StatusTrackerTest {
  private final ManualTicker clock = new ManualTicker();
  private final StatusTracker tracker = new StatusTracker(clock);

  private static TaskOutcome outcome(long id, String worker, boolean ok) {
    return new TaskOutcome(
        id,
        1,
        "square",
        "x".repeat(100),
        ok ? TaskOutcome.State.OK : TaskOutcome.State.FAILED,
        ok ? "1" : null,
        ok ? null : "boom",
        worker,
        1,
        5,
        java.util.Map.of());
  }

  @Test
  void historyCountsCompletionsPerWholeSecondOldestFirst() {
    clock.advance(Duration.ofSeconds(1000));
    tracker.record(List.of(outcome(1, "a", true), outcome(2, "a", true)));
    clock.advance(Duration.ofSeconds(1));
    tracker.record(List.of(outcome(3, "b", true)));
    clock.advance(Duration.ofSeconds(1));
    List<Long> history = tracker.history();
    assertEquals(StatusTracker.HISTORY_SECONDS, history.size());
    assertEquals(List.of(0L, 2L, 1L), history.subList(history.size() - 3, history.size()));
    assertEquals(3 / 5.0, tracker.rate());
    assertEquals(2 / 5.0, tracker.rate("a"));
    clock.advance(Duration.ofSeconds(10));
    assertEquals(0.0, tracker.rate("a"), "old seconds no longer count");
  }

  @Test
  void recentResultsAndFailuresAreNewestFirstShortenedAndBounded() {
    for (int i = 1; i <= 30; i++) {
      tracker.record(List.of(outcome(i, "a", i % 2 == 0)));
    }
    assertEquals(StatusTracker.RECENT, tracker.recent().size());
    assertEquals(30, tracker.recent().get(0).id());
    assertEquals(80, tracker.recent().get(0).input().length());
    assertEquals(29, tracker.failures().get(0).id());
    assertEquals("boom", tracker.failures().get(0).text());
  }
}
