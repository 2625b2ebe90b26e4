package org.rmiq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskAllowanceTest {
  private final TaskAllowance allowance = new TaskAllowance(2, Map.of("download", 8), -1, () -> {});

  @Test
  void aPoolOfItsOwnCountsOnlyOnceItsKindArrives() {
    assertEquals(4, allowance.capacity(), "2 threads + 2 in hand; the idle download pool adds 0");
    allowance.took("sleep");
    assertEquals(4, allowance.capacity(), "sleeps do not open the download pool");
    allowance.took("download");
    assertEquals(4 + 8 + 8, allowance.capacity(), "downloads open their pool: 8 + 8 in hand");
  }

  @Test
  void roomIsWhatTheOpenPoolsLeaveFree() throws Exception {
    assertEquals(4, allowance.awaitRoom(0));
    for (int i = 0; i < 4; i++) {
      allowance.took("sleep");
    }
    assertEquals(0, allowance.awaitRoom(0), "a full worker takes nothing more");
    allowance.finished("sleep", 1_000_000);
    allowance.finished("sleep", 1_000_000);
    // 1 ms tasks: 200 ms in hand is 200 rounds of 2 threads, so the allowance grows.
    assertEquals(2 + 400 - 2, allowance.awaitRoom(0));
  }
}
