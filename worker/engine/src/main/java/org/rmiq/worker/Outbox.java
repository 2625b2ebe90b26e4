package org.rmiq.worker;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.rmiq.internal.wire.TaskResult;

/**
 * A desk's results on their way to the master: waiting for an exchange, then in flight until it is
 * answered. A failed exchange puts its results back in front, so nothing is lost or reordered; a
 * result for a master run that has since restarted is dropped (that master runs the task again).
 */
final class Outbox {
  /**
   * A result on its way, the session and master run it belongs to, and when it was ready (ticker
   * time), which the master learns as the result's wait so its timeline draws the attempt where it
   * ran.
   */
  record Outgoing(String sessionId, String instance, TaskResult result, long readyAt) {
    /** The result as it goes out at {@code now}: with how long it waited here. */
    TaskResult sentAt(long now) {
      return result.waited(Math.max(0, now - readyAt) / 1_000_000);
    }
  }

  /** What one exchange took, and how many results of an earlier master run were dropped. */
  record Taking(List<Outgoing> taken, int dropped) {}

  private final Ticker ticker;
  private final Object lock = new Object();

  @GuardedBy("lock")
  private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();

  /** Results sent in an exchange not yet answered. */
  @GuardedBy("lock")
  private int inFlight;

  /** When the oldest waiting result was ready (ticker time). */
  @GuardedBy("lock")
  private long oldestReadyAt;

  Outbox(Ticker ticker) {
    this.ticker = ticker;
  }

  /**
   * Adds a result for {@code sessionId} of master run {@code instance}, ready now; true when it is
   * the only one waiting (the link should hear of it).
   */
  boolean add(String sessionId, String instance, TaskResult result) {
    long now = ticker.read();
    Outgoing outgoing = new Outgoing(sessionId, instance, result, now);
    synchronized (lock) {
      boolean first = waiting.isEmpty();
      if (first) {
        oldestReadyAt = now;
      }
      waiting.addLast(outgoing);
      return first;
    }
  }

  /**
   * Takes results of master run {@code instance} for an exchange, oldest first: at most {@code
   * maxResults}, and about {@code maxBytes} (always at least one).
   */
  Taking take(String instance, int maxResults, long maxBytes) {
    List<Outgoing> taken = new ArrayList<>();
    int dropped = 0;
    synchronized (lock) {
      long bytes = 0;
      while (!waiting.isEmpty() && taken.size() < maxResults) {
        Outgoing next = waiting.peekFirst();
        if (!next.instance().equals(instance)) {
          waiting.removeFirst();
          dropped++;
          continue;
        }
        long size = next.result().wireBytes();
        if (!taken.isEmpty() && bytes + size > maxBytes) {
          break;
        }
        bytes += size;
        taken.add(waiting.removeFirst());
      }
      inFlight += taken.size();
      oldestReadyAt = ticker.read(); // those left over wait from now
    }
    return new Taking(taken, dropped);
  }

  /** The exchange that carried {@code n} results was answered. */
  void delivered(int n) {
    synchronized (lock) {
      inFlight -= n;
      lock.notifyAll();
    }
  }

  /** The exchange that carried {@code results} failed: they go out again first. */
  void putBack(List<Outgoing> results) {
    synchronized (lock) {
      inFlight -= results.size();
      for (int i = results.size() - 1; i >= 0; i--) {
        waiting.addFirst(results.get(i));
      }
      if (!results.isEmpty()) {
        oldestReadyAt = Math.min(oldestReadyAt, ticker.read());
      }
      lock.notifyAll();
    }
  }

  boolean hasResults() {
    synchronized (lock) {
      return !waiting.isEmpty();
    }
  }

  /** When the oldest waiting result was ready, or MAX_VALUE. */
  long oldestReadyAt() {
    synchronized (lock) {
      return waiting.isEmpty() ? Long.MAX_VALUE : oldestReadyAt;
    }
  }

  /** Nothing waits and nothing is in flight. */
  boolean isEmpty() {
    synchronized (lock) {
      return waiting.isEmpty() && inFlight == 0;
    }
  }

  /**
   * Waits while {@code linkUp} holds and results are waiting or in flight, nudging the link with
   * {@code wake}, until {@code deadline} (ticker time); returns how many are left.
   */
  int awaitDelivered(BooleanSupplier linkUp, Runnable wake, long deadline)
      throws InterruptedException {
    synchronized (lock) {
      while ((!waiting.isEmpty() || inFlight > 0)
          && linkUp.getAsBoolean()
          && ticker.read() < deadline) {
        wake.run();
        lock.wait(50);
      }
      return waiting.size() + inFlight;
    }
  }
}
