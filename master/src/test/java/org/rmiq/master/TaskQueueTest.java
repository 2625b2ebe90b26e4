package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;

class TaskQueueTest {
  private static final Duration LEASE = Duration.ofSeconds(10);
  private final ManualTicker clock = new ManualTicker();
  private final List<TaskOutcome> collected = new ArrayList<>();
  private final TaskQueue queue =
      new TaskQueue(clock, LEASE, 3, Duration.ofSeconds(1), collected::addAll);

  private List<Long> take(String session, int max) throws InterruptedException {
    return queue.take(session, max, Duration.ZERO).stream().map(Task::id).toList();
  }

  @Test
  void tasksAreHandedOutInOrderAndCollectedExactlyOnce() throws Exception {
    queue.submit("square", List.of("1", "2", "3"));
    queue.openSession("a", "alice");
    assertEquals(List.of(1L, 2L), take("a", 2));
    TaskQueue.Report first = queue.complete("a", "alice", List.of(TaskResult.ok(1, "1", 0)));
    TaskQueue.Report again = queue.complete("a", "alice", List.of(TaskResult.ok(1, "1", 0)));
    assertEquals(1, first.accepted());
    assertEquals(1, again.duplicates());
    assertEquals(1, collected.size());
    assertEquals("alice", collected.get(0).worker());
    assertEquals(1, queue.stats().duplicates());
  }

  @Test
  void aSilentSessionsTasksGoBackToTheFrontWithTheAttemptCounted() throws Exception {
    queue.submit("square", List.of("1", "2", "3"));
    queue.openSession("a", "alice");
    queue.openSession("b", "bob");
    assertEquals(List.of(1L, 2L), take("a", 2));
    clock.advance(LEASE.minusSeconds(1));
    assertTrue(queue.renew("b"));
    assertEquals(List.of(), queue.expireSessions());
    clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of("alice"), queue.expireSessions());
    assertEquals(List.of(1L, 2L, 3L), take("b", 3));
    queue.complete("b", "bob", List.of(TaskResult.ok(1, "1", 0)));
    assertEquals(2, collected.get(0).attempts());
    assertNull(queue.take("a", 1, Duration.ZERO), "the expired session is unknown");
  }

  @Test
  void aLateResultFromAnExpiredWorkerStillCountsOnceAndTheRetakerIsADuplicate() throws Exception {
    queue.submit("square", List.of("7"));
    queue.openSession("a", "alice");
    take("a", 1);
    clock.advance(LEASE.plusSeconds(1));
    queue.expireSessions();
    queue.openSession("b", "bob");
    take("b", 1);
    TaskQueue.Report late = queue.complete("a", "alice", List.of(TaskResult.ok(1, "49", 0)));
    TaskQueue.Report retaker = queue.complete("b", "bob", List.of(TaskResult.ok(1, "49", 0)));
    assertEquals(1, late.accepted());
    assertTrue(!late.sessionKnown());
    assertEquals(1, retaker.duplicates());
    assertEquals(1, collected.size());
    assertEquals(0, queue.stats().leased());
  }

  @Test
  void retryableFailuresAreRetriedUntilMaxAttemptsThenCollectedAsFailed() throws Exception {
    queue.submit("flaky", List.of("x"));
    queue.openSession("a", "alice");
    assertEquals(List.of(1L), take("a", 1));
    queue.complete("a", "alice", List.of(TaskResult.failed(1, "boom 1", true, 0)));
    for (int attempt = 2; attempt <= 3; attempt++) {
      // The back-off (1 s, then 2 s) holds the task back; then it is handed out again.
      Duration backoff = Duration.ofSeconds(1L << (attempt - 2));
      clock.advance(backoff.minusMillis(1));
      assertEquals(List.of(), take("a", 1));
      assertEquals(1, queue.stats().pending(), "a backing-off task counts as pending");
      clock.advance(Duration.ofMillis(1));
      assertEquals(List.of(1L), take("a", 1));
      queue.complete("a", "alice", List.of(TaskResult.failed(1, "boom " + attempt, true, 0)));
    }
    assertEquals(1, collected.size());
    TaskOutcome outcome = collected.get(0);
    assertEquals("failed", outcome.status());
    assertEquals("boom 3", outcome.error());
    assertEquals(3, outcome.attempts());
    assertEquals(List.of(), take("a", 1));
  }

  @Test
  void aBadInputFailsAtOnce() throws Exception {
    queue.submit("square", List.of("abc"));
    queue.openSession("a", "alice");
    take("a", 1);
    queue.complete(
        "a", "alice", List.of(TaskResult.failed(1, "'abc' is not an integer", false, 0)));
    assertEquals(1, collected.get(0).attempts());
    assertEquals(1, queue.stats().failed());
  }

  @Test
  void aWorkerThatLeavesHandsItsTasksBackWithoutUsingAnAttempt() throws Exception {
    queue.submit("square", List.of("1", "2"));
    queue.openSession("a", "alice");
    take("a", 2);
    queue.closeSession("a");
    queue.openSession("b", "bob");
    assertEquals(List.of(1L, 2L), take("b", 2));
    queue.complete("b", "bob", List.of(TaskResult.ok(1, "1", 0)));
    assertEquals(1, collected.get(0).attempts());
  }

  @Test
  void aTaskWhoseLeaseExpiresOnEveryAttemptIsCollectedAsFailed() throws Exception {
    queue.submit("sleep", List.of("999999"));
    for (int attempt = 1; attempt <= 3; attempt++) {
      queue.openSession("s" + attempt, "worker" + attempt);
      assertEquals(List.of(1L), take("s" + attempt, 1));
      clock.advance(LEASE.plusSeconds(1));
      queue.expireSessions();
    }
    assertEquals(1, collected.size());
    assertEquals(
        "lease expired on each of 3 attempts (last: worker3 stopped answering)",
        collected.get(0).error());
  }

  @Test
  void aTakeOnAnEmptyQueueWaitsAndReturnsNothing() throws Exception {
    queue.openSession("a", "alice");
    long start = System.nanoTime();
    assertEquals(List.of(), queue.take("a", 5, Duration.ofMillis(100)));
    assertTrue(System.nanoTime() - start >= 90_000_000L);
  }

  @Test
  void aWorkerIsHandedOnlyTheKindsItRunsOldestFirst() throws Exception {
    queue.submit("isprime", List.of("7"));
    queue.submit("square", List.of("2", "3"));
    queue.submit("isprime", List.of("9"));
    queue.openSession("sq", "squarer", java.util.Set.of("square"));
    queue.openSession("any", "all-rounder", java.util.Set.of("square", "isprime"));
    assertEquals(java.util.Map.of(), queue.unservedKinds());
    assertEquals(List.of(2L, 3L), take("sq", 10));
    assertEquals(List.of(1L, 4L), take("any", 10));
  }

  @Test
  void kindsThatNoLiveSessionRunsAreReported() throws Exception {
    queue.submit("factor", List.of("12", "15"));
    assertEquals(java.util.Map.of(), queue.unservedKinds(), "no worker yet: nothing to say");
    queue.openSession("sq", "squarer", java.util.Set.of("square", "sleep"));
    assertEquals(java.util.Map.of("factor", 2), queue.unservedKinds());
    assertEquals(java.util.Set.of("sleep", "square"), queue.servedKinds());
    assertEquals(List.of(), take("sq", 10));
  }

  @Test
  void countsAddUp() throws Exception {
    queue.submit("square", List.of("1", "2", "3", "4"));
    queue.openSession("a", "alice");
    take("a", 3);
    queue.complete("a", "alice", List.of(TaskResult.ok(1, "1", 0)));
    TaskQueue.Stats stats = queue.stats();
    assertEquals(4, stats.submitted());
    assertEquals(1, stats.pending());
    assertEquals(2, stats.leased());
    assertEquals(1, stats.succeeded());
    assertEquals(1, stats.sessions());
  }
}
