package org.rmiq.internal.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of calls the master has received but not yet answered, over all connections, against
 * one budget: a call that would pass it closes its connection (the worker reconnects later), so
 * token holders who send large calls slowly cannot pin the heap together. With the chunked wire
 * form ({@code Packed}), what a silent connection holds beyond this is one chunk.
 */
final class InFlight {
  private final long budget;
  private final AtomicLong bytes = new AtomicLong();

  InFlight(long budget) {
    this.budget = budget;
  }

  /** The budget for this JVM: a tenth of the heap, at least 32 MiB. */
  static InFlight forHeap() {
    return new InFlight(Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 10));
  }

  /** Counts {@code n} more bytes; false (counting nothing) when they would pass the budget. */
  boolean add(long n) {
    while (true) {
      long now = bytes.get();
      if (now + n > budget) {
        return false;
      }
      if (bytes.compareAndSet(now, now + n)) {
        return true;
      }
    }
  }

  void release(long n) {
    bytes.addAndGet(-n);
  }

  long budget() {
    return budget;
  }

  long bytes() {
    return bytes.get();
  }
}
