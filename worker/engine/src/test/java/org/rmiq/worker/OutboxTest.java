package org.rmiq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rmiq.internal.wire.TaskResult;

/** A desk's results on their way: nothing lost, nothing reordered, old runs' results dropped. */
class OutboxTest {
  private final ManualTicker ticker = new ManualTicker();
  private final Outbox outbox = new Outbox(ticker);

  private static TaskResult result(long id) {
    return TaskResult.ok(id, "v" + id, 1);
  }

  private boolean add(long id, String instance) {
    return outbox.add("s1", instance, result(id));
  }

  private static List<Long> ids(List<Outbox.Outgoing> results) {
    return results.stream().map(o -> o.result().taskId()).toList();
  }

  @Test
  void theFirstWaitingResultIsTheOneTheLinkHearsOfAndItsAgeIsKept() {
    assertEquals(Long.MAX_VALUE, outbox.oldestReadyAt());
    ticker.advance(Duration.ofMillis(3));
    assertTrue(add(1, "run"));
    ticker.advance(Duration.ofMillis(2));
    assertFalse(add(2, "run"), "the link heard already");
    assertEquals(Duration.ofMillis(3).toNanos(), outbox.oldestReadyAt());
  }

  @Test
  void eachResultGoesOutWithHowLongItWaitedHereEvenAfterAFailedExchange() {
    add(1, "run");
    ticker.advance(Duration.ofMillis(7));
    add(2, "run");
    ticker.advance(Duration.ofMillis(5));
    List<Outbox.Outgoing> first = outbox.take("run", 10, Long.MAX_VALUE).taken();
    assertEquals(
        List.of(12L, 5L), first.stream().map(o -> o.sentAt(ticker.read()).waitedMillis()).toList());
    outbox.putBack(first); // the exchange failed: they keep their age for the next
    ticker.advance(Duration.ofMillis(20));
    List<Outbox.Outgoing> again = outbox.take("run", 10, Long.MAX_VALUE).taken();
    assertEquals(
        List.of(32L, 25L),
        again.stream().map(o -> o.sentAt(ticker.read()).waitedMillis()).toList());
    assertEquals(1, again.get(0).sentAt(ticker.read()).millis(), "the run time is untouched");
  }

  @Test
  void aFailedExchangePutsItsResultsBackInFrontInTheirOrder() {
    for (long id = 1; id <= 5; id++) {
      add(id, "run");
    }
    Outbox.Taking first = outbox.take("run", 3, Long.MAX_VALUE);
    assertEquals(List.of(1L, 2L, 3L), ids(first.taken()));
    assertFalse(outbox.isEmpty(), "three in flight, two waiting");
    outbox.putBack(first.taken());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids(outbox.take("run", 10, Long.MAX_VALUE).taken()));
  }

  @Test
  void deliveredResultsLeaveTheOutboxEmpty() {
    add(1, "run");
    Outbox.Taking taking = outbox.take("run", 10, Long.MAX_VALUE);
    assertFalse(outbox.hasResults());
    assertFalse(outbox.isEmpty(), "in flight until the exchange is answered");
    outbox.delivered(taking.taken().size());
    assertTrue(outbox.isEmpty());
  }

  @Test
  void resultsForAMasterRunThatRestartedAreDroppedAndCounted() {
    add(1, "old");
    add(2, "new");
    add(3, "old");
    Outbox.Taking taking = outbox.take("new", 10, Long.MAX_VALUE);
    assertEquals(List.of(2L), ids(taking.taken()));
    assertEquals(2, taking.dropped());
  }

  @Test
  void anExchangeTakesAboutItsBytesButAlwaysOneResult() {
    add(1, "run");
    add(2, "run");
    long one = result(1).wireBytes();
    assertEquals(List.of(1L), ids(outbox.take("run", 10, 1).taken()), "one even over the limit");
    add(3, "run");
    assertEquals(List.of(2L, 3L), ids(outbox.take("run", 10, 2 * one + 2).taken()));
  }

  @Test
  void waitingForDeliveryStopsWhenTheLinkIsDownAndSaysHowManyAreLeft() throws Exception {
    add(1, "run");
    add(2, "run");
    assertEquals(2, outbox.awaitDelivered(() -> false, () -> {}, Long.MAX_VALUE));
  }
}
