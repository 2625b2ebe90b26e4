package org.rmiq.bench;

/** The batch size the JMH queue benchmark moves per operation. */
public final class TaskQueueBenchmarkSize {
  public static final int BATCH = 1000;

  private TaskQueueBenchmarkSize() {}
}
