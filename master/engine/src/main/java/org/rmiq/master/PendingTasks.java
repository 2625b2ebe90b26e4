package org.rmiq.master;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tasks waiting for a worker, one queue per kind, so a worker is only handed kinds it can run.
 * Within a kind, order is the queue's (re-queued tasks go to the front); across kinds the oldest
 * head goes first, so jobs run in the order they were submitted. Not thread-safe: the dispatcher
 * guards it with its lock.
 */
final class PendingTasks {
  /** Who the workers are, for the replicas' rule (see {@link TaskEntry#closedTo}). */
  private final Registry registry;

  PendingTasks(Registry registry) {
    this.registry = registry;
  }

  /** Waiting tasks by kind, the next one first. */
  private final Map<String, ArrayDeque<TaskEntry>> byKind = new HashMap<>();

  private int size;

  void addLast(TaskEntry entry) {
    queue(entry).addLast(entry);
    entry.pending = true;
    size++;
  }

  void addFirst(TaskEntry entry) {
    queue(entry).addFirst(entry);
    entry.pending = true;
    size++;
  }

  /** Removes a task that is no longer waiting (collected late, or cancelled); linear, rare. */
  void remove(TaskEntry entry) {
    ArrayDeque<TaskEntry> queue = byKind.get(entry.kind());
    if (entry.pending && queue != null && queue.remove(entry)) {
      entry.pending = false;
      size--;
    }
  }

  /**
   * The next task {@code session} can run and does not hold already (an overdue task handed out
   * again goes to another worker), or null.
   */
  TaskEntry poll(Registry.SessionRec session) {
    ArrayDeque<TaskEntry> best = null;
    TaskEntry bestEntry = null;
    for (String kind : session.kinds) {
      ArrayDeque<TaskEntry> queue = byKind.get(kind);
      TaskEntry first = queue == null ? null : firstFor(queue, session);
      if (first != null && (bestEntry == null || first.id() < bestEntry.id())) {
        best = queue;
        bestEntry = first;
      }
    }
    if (best == null) {
      return null;
    }
    size--;
    if (best.peekFirst() == bestEntry) {
      best.pollFirst();
    } else {
      best.removeFirstOccurrence(bestEntry); // a few places in: cheap
    }
    bestEntry.pending = false;
    return bestEntry;
  }

  /**
   * How far past a queue's head to look for a task {@code session} may take: a task one worker
   * declined, or a replica its JVM has, must not block the tasks behind it for that worker, yet a
   * long scan under the dispatcher's lock must not happen on every lease either.
   */
  private static final int LOOKAHEAD = 8;

  /**
   * The first of the first {@link #LOOKAHEAD} tasks of {@code queue} that {@code session} may take.
   */
  private TaskEntry firstFor(ArrayDeque<TaskEntry> queue, Registry.SessionRec session) {
    int looked = 0;
    for (TaskEntry entry : queue) {
      if (looked++ == LOOKAHEAD) {
        return null;
      }
      // its code may not be loaded here yet, or this session (its JVM) has it already
      if (session.runs(entry) && !entry.closedTo(session, registry)) {
        return entry;
      }
    }
    return null;
  }

  /** How many tasks of the kinds {@code session} runs wait (some may be closed to it). */
  long sizeFor(Registry.SessionRec session) {
    long n = 0;
    for (String kind : session.kinds) {
      ArrayDeque<TaskEntry> queue = byKind.get(kind);
      n += queue == null ? 0 : queue.size();
    }
    return n;
  }

  /** Whether a task {@code session} can take is waiting. */
  boolean hasAnyFor(Registry.SessionRec session) {
    for (String kind : session.kinds) {
      ArrayDeque<TaskEntry> queue = byKind.get(kind);
      if (queue != null && firstFor(queue, session) != null) {
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

  /** The first waiting task of {@code kind}, or null. */
  TaskEntry head(String kind) {
    ArrayDeque<TaskEntry> queue = byKind.get(kind);
    return queue == null ? null : queue.peekFirst();
  }

  int size() {
    return size;
  }

  private ArrayDeque<TaskEntry> queue(TaskEntry entry) {
    return byKind.computeIfAbsent(entry.kind(), k -> new ArrayDeque<>());
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
              TaskEntry head = head(kind);
              if (head != null && !registry.canRun(head)) {
                unserved.put(kind, n);
              }
            });
    return unserved;
  }
}
