package org.rmiq.worker;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The workers on a link, the goodbyes of those leaving, and the pump's sleep: the one lock of a
 * link. Workers join and leave from their own threads; the pump sleeps here until a change (a
 * goodbye, a result, room), a deadline of the ticker, or its next heartbeat.
 */
final class LinkRoster {
  /** A session to end at the master, and who waits for it. */
  record Goodbye(String sessionId, boolean lastDesk, CountDownLatch done) {}

  /** The goodbyes due now, and whether the link closes with them. */
  record Due(List<Goodbye> goodbyes, boolean close) {
    /** The sessions that end. */
    List<String> sessionIds() {
      List<String> ids = new ArrayList<>();
      for (Goodbye g : goodbyes) {
        if (g.sessionId() != null) {
          ids.add(g.sessionId());
        }
      }
      return ids;
    }

    /** Whether the link's last worker leaves with them (the link closes at the master too). */
    boolean lastDesk() {
      return goodbyes.stream().anyMatch(Goodbye::lastDesk);
    }

    /** The goodbyes were said (or could not be): the leaving workers go on. */
    void said() {
      goodbyes.forEach(g -> g.done().countDown());
    }
  }

  private final Ticker ticker;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  @GuardedBy("lock")
  private final List<TaskDesk> desks = new ArrayList<>();

  @GuardedBy("lock")
  private final List<Goodbye> goodbyes = new ArrayList<>();

  /** No worker is left: the link says goodbye and its thread ends. */
  @GuardedBy("lock")
  private boolean closing;

  /** A final failure ended every worker; the link takes no new ones. */
  @GuardedBy("lock")
  private boolean failed;

  /** Something changed since the pump last looked (a result, room, a goodbye). */
  private volatile boolean poked;

  /** The pump waits for a change. */
  private volatile boolean sleeping;

  /** When the pump will look again by itself (ticker time); MAX_VALUE while it is deciding. */
  private volatile long wakeAt = Long.MAX_VALUE;

  LinkRoster(Ticker ticker) {
    this.ticker = ticker;
  }

  /**
   * Adds a worker, running {@code attach} under the lock so the pump never sees it half attached;
   * false when the link is closing or failed.
   */
  boolean add(TaskDesk desk, Runnable attach) {
    lock.lock();
    try {
      if (closing || failed) {
        return false;
      }
      desks.add(desk);
      attach.run();
      poked = true;
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Removes a worker and queues its goodbye; true when it was the last (the link then closes). */
  boolean remove(TaskDesk desk, CountDownLatch done) {
    lock.lock();
    try {
      desks.remove(desk);
      boolean last = desks.isEmpty();
      goodbyes.add(new Goodbye(desk.sessionId(), last, done));
      if (last) {
        closing = true;
      }
      poked = true;
      changed.signalAll();
      return last;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the goodbyes due. */
  Due takeGoodbyes() {
    lock.lock();
    try {
      List<Goodbye> due = List.copyOf(goodbyes);
      goodbyes.clear();
      return new Due(due, closing);
    } finally {
      lock.unlock();
    }
  }

  /** Something changed: a worker about to idle, a goodbye, new code. Cheap when not waiting. */
  void wake() {
    if (!poked) {
      poked = true;
      if (sleeping) {
        lock.lock();
        try {
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /**
   * A result is ready: wakes the pump only if it would otherwise look later than a linger from now,
   * so a hundred workers finishing tasks do not wake it a hundred times per exchange.
   */
  void nudge() {
    if (wakeAt - ticker.read() > TaskDesk.LINGER_NANOS) {
      wake();
    }
  }

  /** The pump starts deciding: changes from now on make it look again. */
  void deciding() {
    wakeAt = Long.MAX_VALUE;
    poked = false;
  }

  /**
   * The pump sleeps up to {@code nanos} from {@code now}, or until a change. A spurious wake-up is
   * harmless: the pump's own loop decides again after every return.
   */
  @SuppressWarnings("WaitNotInLoop")
  void sleep(long now, long nanos) throws InterruptedException {
    wakeAt = now + nanos;
    lock.lock();
    try {
      sleeping = true;
      if (!poked && !closing && goodbyes.isEmpty()) {
        changed.awaitNanos(nanos);
      }
    } finally {
      sleeping = false;
      lock.unlock();
    }
  }

  /** Waits up to {@code millis}, or until a worker leaves or the link closes. */
  void pause(long millis) throws InterruptedException {
    long deadline = ticker.read() + TimeUnit.MILLISECONDS.toNanos(Math.min(millis, 1L << 40));
    lock.lock();
    try {
      while (!closing && goodbyes.isEmpty()) {
        long left = deadline - ticker.read();
        if (left <= 0) {
          return;
        }
        changed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  List<TaskDesk> snapshot() {
    lock.lock();
    try {
      return List.copyOf(desks);
    } finally {
      lock.unlock();
    }
  }

  boolean hasGoodbyes() {
    lock.lock();
    try {
      return !goodbyes.isEmpty() || closing;
    } finally {
      lock.unlock();
    }
  }

  /** A final failure: the link takes no new workers. */
  void fail() {
    lock.lock();
    try {
      failed = true;
    } finally {
      lock.unlock();
    }
  }

  boolean isFailed() {
    lock.lock();
    try {
      return failed;
    } finally {
      lock.unlock();
    }
  }
}
