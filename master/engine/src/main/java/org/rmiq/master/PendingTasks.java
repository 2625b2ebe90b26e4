package org.rmiq.master;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tasks waiting for a worker, one queue per kind, so a worker is only handed kinds it can run.
 * Within a kind, order is the queue's (re-queued tasks go to the front; a new job's tasks wait as
 * one run, made as they are handed out: {@link UnmadeTasks}); across kinds the oldest head goes
 * first, so jobs run in the order they were submitted. Not thread-safe: the dispatcher guards it
 * with its lock.
 */
final class PendingTasks {
  /** Who the workers are, for the replicas' rule (see {@link TaskEntry#closedTo}). */
  private final Registry registry;

  PendingTasks(Registry registry) {
    this.registry = registry;
  }

  /** Waiting tasks by kind, the next one first. */
  private final Map<String, KindQueue> byKind = new HashMap<>();

  /**
   * The same queues as a list, for {@link #poll}: it runs for every task handed out, and looking up
   * each of a session's kinds (five built in, more with plugins) was five hash lookups a task where
   * usually one queue has tasks.
   */
  private final List<KindQueue> queues = new ArrayList<>();

  private int size;

  void addLast(TaskEntry entry) {
    queue(entry.kind()).addLast(entry);
    entry.pending = true;
    size++;
  }

  void addFirst(TaskEntry entry) {
    queue(entry.kind()).addFirst(entry);
    entry.pending = true;
    size++;
  }

  /** Queues a new job's tasks, made as they are handed out. */
  void addLast(UnmadeTasks unmade) {
    if (!unmade.isEmpty()) {
      queue(unmade.job().spec().kind()).addLast(unmade);
      size += unmade.size();
    }
  }

  /** Removes a task that is no longer waiting (collected late, or cancelled); linear, rare. */
  void remove(TaskEntry entry) {
    KindQueue queue = byKind.get(entry.kind());
    if (entry.pending && queue != null && queue.remove(entry)) {
      entry.pending = false;
      size--;
    }
  }

  /** Removes a job's tasks not made yet (it was cancelled), if they wait here. */
  void remove(UnmadeTasks unmade) {
    KindQueue queue = byKind.get(unmade.job().spec().kind());
    int n = unmade.size();
    if (queue != null && queue.remove(unmade)) {
      size -= n;
    }
  }

  /**
   * The next task {@code session} can run and does not hold already (an overdue task handed out
   * again goes to another worker), or null.
   */
  TaskEntry poll(Registry.SessionRec session) {
    KindQueue best = null;
    Waiting bestPlace = null;
    for (int i = 0; i < queues.size(); i++) {
      KindQueue queue = queues.get(i);
      if (queue.isEmpty() || !session.kinds.contains(queue.kind)) {
        continue;
      }
      Waiting first = queue.firstFor(session, registry, LOOKAHEAD);
      if (first != null && (bestPlace == null || first.nextId() < bestPlace.nextId())) {
        best = queue;
        bestPlace = first;
      }
    }
    if (best == null) {
      return null;
    }
    size--;
    TaskEntry entry = best.take(bestPlace);
    entry.pending = false;
    return entry;
  }

  /**
   * How far past a queue's head to look for a task {@code session} may take: a task one worker
   * declined, or a replica its JVM has, must not block the tasks behind it for that worker, yet a
   * long scan under the dispatcher's lock must not happen on every lease either.
   */
  private static final int LOOKAHEAD = 8;

  /** How many tasks of the kinds {@code session} runs wait (some may be closed to it). */
  long sizeFor(Registry.SessionRec session) {
    long n = 0;
    for (String kind : session.kinds) {
      KindQueue queue = byKind.get(kind);
      n += queue == null ? 0 : queue.size();
    }
    return n;
  }

  /** Whether a task {@code session} can take is waiting. */
  boolean hasAnyFor(Registry.SessionRec session) {
    for (String kind : session.kinds) {
      KindQueue queue = byKind.get(kind);
      if (queue != null && queue.firstFor(session, registry, LOOKAHEAD) != null) {
        return true;
      }
    }
    return false;
  }

  /** How many tasks of each kind wait, by kind name. */
  Map<String, Integer> countsByKind() {
    Map<String, Integer> counts = new TreeMap<>();
    byKind.forEach(
        (kind, queue) -> {
          if (!queue.isEmpty()) {
            counts.put(kind, queue.size());
          }
        });
    return counts;
  }

  /** The first waiting task (or run of a job's tasks) of {@code kind}, or null. */
  Waiting head(String kind) {
    KindQueue queue = byKind.get(kind);
    return queue == null ? null : queue.head();
  }

  int size() {
    return size;
  }

  private KindQueue queue(String kind) {
    KindQueue queue = byKind.get(kind);
    if (queue == null) { // a queue stays once made: kinds are few (each is a handler or a jar)
      queue = new KindQueue(kind);
      byKind.put(kind, queue);
      queues.add(queue);
    }
    return queue;
  }

  /**
   * Kinds with waiting tasks that no live session can run, with how many wait, so a job that cannot
   * progress says why; empty while no worker is connected.
   */
  Map<String, Integer> unservedKinds() {
    if (registry.sessions.isEmpty()) {
      return Map.of();
    }
    Map<String, Integer> unserved = new TreeMap<>();
    countsByKind()
        .forEach(
            (kind, n) -> {
              Waiting head = head(kind);
              if (head != null && !registry.canRun(head.job())) {
                unserved.put(kind, n);
              }
            });
    return unserved;
  }
}
