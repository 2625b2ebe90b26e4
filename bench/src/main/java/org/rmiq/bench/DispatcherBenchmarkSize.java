package org.rmiq.bench;

/** The batch size the JMH dispatcher benchmark moves per operation. */
public final class DispatcherBenchmarkSize {
  public static final int BATCH = 1000;

  private DispatcherBenchmarkSize() {}
}
