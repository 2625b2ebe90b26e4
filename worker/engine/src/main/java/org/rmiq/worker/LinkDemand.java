package org.rmiq.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.rmiq.internal.wire.ExchangeReply;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.Slot;
import org.rmiq.internal.wire.SlotTasks;

/**
 * What the workers on a link want from its next exchange — results to send, room to fill, a thread
 * about to idle — and the filling of one exchange from it within the per-call limits. Workers (task
 * threads) write it without a lock; the link's thread reads and drains it.
 */
final class LinkDemand {
  /** About the most bytes of results one exchange carries; the master refuses calls over 4 MiB. */
  static final long MAX_EXCHANGE_BYTES = 3L << 20;

  /**
   * Workers with results to send or room to fill, each listed once ({@link TaskDesk#flag}): an
   * exchange visits only these, so a thousand busy workers do not cost a thousand checks a round.
   */
  private final ConcurrentLinkedQueue<TaskDesk> attention = new ConcurrentLinkedQueue<>();

  /** When the oldest unsent result was ready (ticker time); MAX_VALUE when none waits. */
  private final AtomicLong firstReadyAt = new AtomicLong(Long.MAX_VALUE);

  /** A worker's thread is about to idle: worth a call now. */
  private volatile boolean urgent;

  /** Tasks held by every worker on the link. */
  private final AtomicInteger held = new AtomicInteger();

  /** The slots of one exchange, and what they took from each worker. */
  record Exchange(
      List<Slot> slots, List<TaskDesk.Taken> taken, List<TaskDesk> visited, long waitMillis) {

    /** Whether it asks for tasks (some slot has room). */
    boolean asks() {
      return slots.stream().anyMatch(slot -> slot.room() > 0);
    }

    /** The call failed: every worker gets back what it gave, and asks again next time. */
    void failed() {
      taken.forEach(t -> t.desk().putBack(t));
      visited.forEach(TaskDesk::flag);
    }

    /**
     * The master answered: results delivered, tasks to the sessions they were given to (a leaving
     * worker's goodbye hands them back), lost sessions told, withdrawn tasks dropped, and a worker
     * that asked and got too little asks again in the next round.
     */
    void answered(
        ExchangeReply reply,
        String instance,
        Map<String, TaskDesk> bySession,
        Supplier<List<TaskDesk>> all) {
      taken.forEach(t -> t.desk().delivered(t));
      for (SlotTasks given : reply.tasks()) {
        TaskDesk desk = bySession.get(given.sessionId());
        if (desk != null) {
          desk.accept(given.sessionId(), instance, given.tasks());
        }
      }
      for (String unknown : reply.unknownSessions()) {
        TaskDesk desk = bySession.get(unknown);
        if (desk != null) {
          desk.sessionLost(unknown);
        }
      }
      for (TaskDesk desk : visited) {
        if (desk.wantsMore()) {
          desk.flag();
        }
      }
      if (!reply.withdrawn().isEmpty()) {
        all.get().forEach(desk -> desk.withdraw(reply.withdrawn())); // rare: asked only then
      }
    }
  }

  void attention(TaskDesk desk) {
    attention.add(desk);
  }

  /** A worker's first waiting result became ready at {@code at}. */
  void resultReady(long at) {
    firstReadyAt.compareAndSet(Long.MAX_VALUE, at);
  }

  void urgent() {
    urgent = true;
  }

  /** Changes the tasks held on the link; true when none is held any more. */
  boolean held(int delta) {
    return held.addAndGet(delta) == 0;
  }

  /** What the timing needs to know, besides the link's own state. */
  ExchangeTiming.State state(
      boolean finishedSeen,
      boolean emptyEarly,
      boolean lastGaveNothing,
      long lastCallAt,
      long heartbeatNanos) {
    return new ExchangeTiming.State(
        firstReadyAt.get(),
        !attention.isEmpty(),
        held.get() == 0,
        urgent,
        finishedSeen,
        emptyEarly,
        lastGaveNothing,
        lastCallAt,
        heartbeatNanos);
  }

  /**
   * Builds an exchange from the workers that want attention, within the per-call limits.
   *
   * @param now the ticker's time: how long each result waited, and when results left over for the
   *     next exchange start waiting
   */
  Exchange fill(String instance, long waitMillis, long now) {
    List<Slot> slots = new ArrayList<>();
    List<TaskDesk.Taken> taken = new ArrayList<>();
    List<TaskDesk> visited = new ArrayList<>();
    firstReadyAt.set(Long.MAX_VALUE); // desks with results left over set it again
    urgent = false;
    int results = 0;
    long bytes = 0;
    while (results < ExchangeRequest.MAX_TASKS
        && bytes < MAX_EXCHANGE_BYTES
        && slots.size() < ExchangeRequest.MAX_SESSIONS - 8) {
      TaskDesk desk = attention.poll();
      if (desk == null) {
        break;
      }
      TaskDesk.Taken t =
          desk.fill(
              slots,
              instance,
              ExchangeRequest.MAX_TASKS - results,
              Math.max(0, MAX_EXCHANGE_BYTES - bytes),
              now);
      results += t.results().size();
      for (Outbox.Outgoing o : t.results()) {
        bytes += o.result().wireBytes();
      }
      taken.add(t);
      visited.add(desk);
    }
    if (!attention.isEmpty()) {
      firstReadyAt.compareAndSet(Long.MAX_VALUE, now); // the rest go next, soon
    }
    return new Exchange(slots, taken, visited, waitMillis);
  }
}
