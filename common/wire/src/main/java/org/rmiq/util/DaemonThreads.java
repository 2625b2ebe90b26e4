package org.rmiq.util;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Factories of daemon threads, named without {@link java.util.Formatter}: Guava's {@code
 * ThreadFactoryBuilder} formats every name with {@code String.format}, and the first use of that in
 * a JVM (the formatter, its pattern, the locale's digits) cost a cold worker ~7 ms of its main
 * thread before it could connect (~20 ms in a bare JVM).
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Daemon threads named {@code prefix} and a count from 0 (e.g. {@code rmiq-http-0}). */
  public static ThreadFactory numbered(String prefix) {
    return numbered(prefix, Thread::new);
  }

  /** The threads of {@code factory}, as daemons named {@code prefix} and a count from 0. */
  public static ThreadFactory numbered(String prefix, ThreadFactory factory) {
    AtomicLong made = new AtomicLong();
    return work -> {
      Thread thread = factory.newThread(work);
      thread.setName(prefix + made.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Daemon threads all named {@code name}. */
  public static ThreadFactory named(String name) {
    return work -> {
      Thread thread = new Thread(work, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
