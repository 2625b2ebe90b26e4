package org.rmiq.util;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** One-thread timers for deadlines and periodic jobs. */
public final class Timers {
  private Timers() {}

  /**
   * A timer on one daemon thread named {@code prefix} and 0. A cancelled alarm leaves its queue at
   * once: the JDK's default keeps it, and what it refers to (a task, a socket), until its time
   * would have come, so a ten-minute task timeout cancelled ten thousand times a second would hold
   * six million of them.
   */
  public static ScheduledExecutorService daemon(String prefix) {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.numbered(prefix));
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
