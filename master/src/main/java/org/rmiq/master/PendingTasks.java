package org.rmiq.master;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tasks waiting for a worker, one queue per kind, so a worker is only handed kinds it can run.
 * Within a kind, order is the queue's (re-queued tasks go to the front); across kinds the oldest
 * head goes first. Not thread-safe: {@link TaskQueue} guards it with its lock.
 */
final class PendingTasks {
  /** Waiting tasks by kind, the next one first. */
  private final Map<String, ArrayDeque<TaskQueue.Entry>> byKind = new HashMap<>();

  private int size;

  void addLast(TaskQueue.Entry entry) {
    queue(entry).addLast(entry);
    size++;
  }

  void addFirst(TaskQueue.Entry entry) {
    queue(entry).addFirst(entry);
    size++;
  }

  /** Removes a task that finished while waiting (a late result); rare, so linear. */
  boolean remove(TaskQueue.Entry entry) {
    ArrayDeque<TaskQueue.Entry> queue = byKind.get(entry.task.kind());
    if (queue != null && queue.remove(entry)) {
      size--;
      return true;
    }
    return false;
  }

  /** The next task of one of {@code kinds} (all kinds when null), or null if none waits. */
  TaskQueue.Entry poll(Set<String> kinds) {
    ArrayDeque<TaskQueue.Entry> best = null;
    for (Map.Entry<String, ArrayDeque<TaskQueue.Entry>> e : byKind.entrySet()) {
      ArrayDeque<TaskQueue.Entry> queue = e.getValue();
      if (!queue.isEmpty()
          && (kinds == null || kinds.contains(e.getKey()))
          && (best == null || queue.peekFirst().task.id() < best.peekFirst().task.id())) {
        best = queue;
      }
    }
    if (best == null) {
      return null;
    }
    size--;
    return best.pollFirst();
  }

  /** Whether a task of one of {@code kinds} (any kind when null) is waiting. */
  boolean hasAnyOf(Set<String> kinds) {
    for (Map.Entry<String, ArrayDeque<TaskQueue.Entry>> e : byKind.entrySet()) {
      if (!e.getValue().isEmpty() && (kinds == null || kinds.contains(e.getKey()))) {
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

  int size() {
    return size;
  }

  private ArrayDeque<TaskQueue.Entry> queue(TaskQueue.Entry entry) {
    return byKind.computeIfAbsent(entry.task.kind(), k -> new ArrayDeque<>());
  }
}
