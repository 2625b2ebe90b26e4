package org.rmiq.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
  private static void work() {}

  @Test
  void numberedThreadsCountFromZeroAndAreDaemons() {
    ThreadFactory factory = DaemonThreads.numbered("rmiq-test-");
    Thread first = factory.newThread(DaemonThreadsTest::work);
    Thread second = factory.newThread(DaemonThreadsTest::work);
    assertEquals("rmiq-test-0", first.getName());
    assertEquals("rmiq-test-1", second.getName());
    assertTrue(first.isDaemon() && second.isDaemon());
  }

  @Test
  void aWrappedFactoryMakesTheThreadsAndTheyAreNamedAfterwards() {
    Thread made = new Thread(DaemonThreadsTest::work, "unnamed");
    ThreadFactory factory = DaemonThreads.numbered("rmiq-lane-", w -> made);
    Thread thread = factory.newThread(DaemonThreadsTest::work);
    assertSame(made, thread);
    assertEquals("rmiq-lane-0", thread.getName());
    assertTrue(thread.isDaemon());
  }

  @Test
  void namedThreadsAllHaveTheName() {
    ThreadFactory factory = DaemonThreads.named("rmiq-greeter-5000");
    assertEquals("rmiq-greeter-5000", factory.newThread(DaemonThreadsTest::work).getName());
    assertEquals("rmiq-greeter-5000", factory.newThread(DaemonThreadsTest::work).getName());
    assertTrue(factory.newThread(DaemonThreadsTest::work).isDaemon());
  }
}
