package org.rmiq.internal.transport;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.rmiq.util.Timers;

/**
 * Closes a connection whose handshake is not done by a deadline. Closing makes any blocked read or
 * write fail at once, so a peer that trickles one byte at a time cannot stretch the deadline the
 * way a per-read timeout would let it.
 */
final class Deadline implements AutoCloseable {
  private static final ScheduledExecutorService TIMER = Timers.daemon("rmiq-handshake-deadline-");

  private final ScheduledFuture<?> alarm;
  private volatile boolean fired;

  private Deadline(Closeable connection, long millis) {
    this.alarm =
        TIMER.schedule(
            () -> {
              fired = true;
              try {
                connection.close();
              } catch (IOException | RuntimeException ignored) {
                // closing is all the deadline does
              }
            },
            millis,
            TimeUnit.MILLISECONDS);
  }

  /** Closes {@code connection} after {@code millis} unless {@link #close} comes first. */
  static Deadline arm(Closeable connection, long millis) {
    return new Deadline(connection, millis);
  }

  /** True when the deadline passed and the connection was closed by it. */
  boolean fired() {
    return fired;
  }

  /** Disarms the deadline (the handshake finished, or failed otherwise). */
  @Override
  public void close() {
    alarm.cancel(false);
  }
}
