package org.rmiq.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimersTest {
  @Test
  void aCancelledAlarmLeavesTheQueueAtOnce() {
    ScheduledExecutorService timer = Timers.daemon("test-timer-");
    try {
      for (int i = 0; i < 1_000; i++) {
        ScheduledFuture<?> alarm = timer.schedule(() -> {}, 1, TimeUnit.HOURS);
        alarm.cancel(false);
      }
      assertEquals(0, ((ScheduledThreadPoolExecutor) timer).getQueue().size());
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void runsOnOneNamedDaemonThread() throws Exception {
    ScheduledExecutorService timer = Timers.daemon("test-timer-");
    try {
      CompletableFuture<Thread> ran = new CompletableFuture<>();
      ScheduledFuture<?> alarm =
          timer.schedule(() -> ran.complete(Thread.currentThread()), 1, TimeUnit.MILLISECONDS);
      Thread thread = ran.get(10, TimeUnit.SECONDS);
      alarm.get(10, TimeUnit.SECONDS);
      assertTrue(thread.isDaemon());
      assertEquals("test-timer-0", thread.getName());
    } finally {
      timer.shutdownNow();
    }
  }
}
