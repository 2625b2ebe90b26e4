package org.rmiq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskAllowanceTest {
  private final ManualTicker ticker = new ManualTicker();
  private final TaskAllowance allowance = new TaskAllowance(ticker, 2, Map.of("download", 8), -1);

  @Test
  void aPoolOfItsOwnCountsOnlyOnceItsKindArrives() {
    assertEquals(4, allowance.capacity(), "2 threads + 2 in hand; the idle download pool adds 0");
    allowance.took("sleep");
    assertEquals(4, allowance.capacity(), "sleeps do not open the download pool");
    allowance.took("download");
    assertEquals(4 + 8 + 8, allowance.capacity(), "downloads open their pool: 8 + 8 in hand");
  }

  @Test
  void anOwnPoolClosesASecondAfterItsLastTask() {
    allowance.took("download");
    allowance.finished("download", 1_000_000_000);
    assertEquals(4 + 16, allowance.capacity(), "still open right after its last task");
    ticker.advance(Duration.ofMillis(1500));
    assertEquals(4, allowance.capacity(), "closed a second later");
  }

  @Test
  void roomIsWhatTheOpenPoolsLeaveFree() {
    assertEquals(4, allowance.room());
    for (int i = 0; i < 4; i++) {
      allowance.took("sleep");
    }
    assertEquals(0, allowance.room(), "a full worker takes nothing more");
    assertFalse(allowance.wantsMore());
    allowance.finished("sleep", 1_000_000);
    allowance.finished("sleep", 1_000_000);
    // 1 ms tasks: 200 ms in hand is 200 rounds of 2 threads, so the allowance grows.
    assertEquals(2 + 400 - 2, allowance.room());
    assertTrue(allowance.wantsMore());
  }

  @Test
  void slowTasksAreNotHoarded() {
    allowance.took("sleep");
    allowance.finished("sleep", Duration.ofSeconds(5).toNanos());
    assertEquals(2 + 2, allowance.capacity(), "5 s tasks: one round in hand, no more");
  }

  @Test
  void onlyTasksKnownToBeShortTravelToAThreadTogether() {
    assertEquals(1, allowance.perHandOff("square"), "a duration not known yet: one at a time");
    allowance.took("square");
    allowance.finished("square", 2_000); // 2 µs
    assertEquals(TaskAllowance.MOST_PER_HAND_OFF, allowance.perHandOff("square"));
    allowance.took("sleep");
    allowance.finished("sleep", 10_000_000); // the shared pool's mean is now about 1 ms
    assertEquals(1, allowance.perHandOff("square"), "its pool's tasks are no longer short");
    allowance.took("download");
    allowance.finished("download", 100_000); // 100 µs, in its own pool
    assertEquals(10, allowance.perHandOff("download"), "about a millisecond of them");
  }
}
