package org.rmiq.master;

import java.util.LinkedHashSet;

/**
 * Links whose exchange waits for tasks (a long poll), longest-waiting first, and whom to wake when
 * tasks arrive. Not thread-safe: the dispatcher calls it under its lock, whose conditions the links
 * wait on.
 */
final class WaitingLinks {
  private final LinkedHashSet<Registry.LinkRec> waiting = new LinkedHashSet<>();

  /**
   * Waits on {@code link}'s condition for at most {@code nanos}, listed meanwhile; the caller loops
   * (it rechecks for tasks, its deadline and the link after each wake-up, spurious or not).
   */
  @SuppressWarnings("WaitNotInLoop")
  void await(Registry.LinkRec link, long nanos) throws InterruptedException {
    waiting.add(link);
    link.waiting = true;
    try {
      link.wake.awaitNanos(nanos);
    } finally {
      link.waiting = false;
      waiting.remove(link);
    }
  }

  /** Wakes the waiting links that could take a task from {@code board} now. */
  void wakeServed(TaskBoard board) {
    for (Registry.LinkRec link : waiting) {
      for (Registry.SessionRec s : link.sessions.values()) {
        if (board.anyFor(s)) {
          link.wake.signal();
          break;
        }
      }
    }
  }

  /** Wakes every waiting link (the master finished: they hear it now). */
  void wakeAll() {
    for (Registry.LinkRec link : waiting) {
      link.wake.signal();
    }
  }

  /** Forgets a closed link; its waiting exchange, if any, returns now. */
  void closed(Registry.LinkRec link) {
    waiting.remove(link);
    link.wake.signalAll();
  }
}
