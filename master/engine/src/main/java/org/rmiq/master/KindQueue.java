package org.rmiq.master;

import java.util.ArrayDeque;

/**
 * One kind's waiting tasks, the next one first: entries (re-queued tasks go to the front) and runs
 * of new jobs' tasks whose entries are made when handed out ({@link UnmadeTasks}). Not thread-safe:
 * the dispatcher guards it with its lock.
 */
final class KindQueue {
  final String kind;

  private final ArrayDeque<Waiting> order = new ArrayDeque<>();

  /** Tasks waiting, made or not. */
  private int size;

  KindQueue(String kind) {
    this.kind = kind;
  }

  void addLast(Waiting waiting) {
    order.addLast(waiting);
    size += count(waiting);
  }

  void addFirst(TaskEntry entry) {
    order.addFirst(entry);
    size++;
  }

  /** Removes a waiting entry or run (linear: rare, or near the front); whether it was there. */
  boolean remove(Waiting waiting) {
    int n = count(waiting);
    if (order.removeFirstOccurrence(waiting)) {
      size -= n;
      return true;
    }
    return false;
  }

  /**
   * The first of the first {@code lookahead} places whose next task {@code session} may take, or
   * null. A task not made yet is open to any session that runs its kind: nobody holds or declined
   * it.
   */
  Waiting firstFor(Registry.SessionRec session, Registry registry, int lookahead) {
    int looked = 0;
    for (Waiting waiting : order) {
      if (looked++ == lookahead) {
        return null;
      }
      if (waiting instanceof TaskEntry entry) {
        // its code may not be loaded here yet, or this session (its JVM) has it already
        if (session.runs(entry) && !entry.closedTo(session, registry)) {
          return entry;
        }
      } else if (session.runs(waiting.job())) {
        return waiting;
      }
    }
    return null;
  }

  /** Takes the next task of {@code waiting}, a place {@link #firstFor} returned. */
  TaskEntry take(Waiting waiting) {
    TaskEntry entry;
    boolean gone;
    if (waiting instanceof UnmadeTasks unmade) {
      entry = unmade.make();
      gone = unmade.isEmpty();
    } else {
      entry = (TaskEntry) waiting;
      gone = true;
    }
    size--;
    if (gone) {
      if (order.peekFirst() == waiting) {
        order.pollFirst();
      } else {
        order.removeFirstOccurrence(waiting); // a few places in: cheap
      }
    }
    return entry;
  }

  /** The first place, or null. */
  Waiting head() {
    return order.peekFirst();
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  private static int count(Waiting waiting) {
    return waiting instanceof UnmadeTasks unmade ? unmade.size() : 1;
  }
}
