package org.rmiq.master;

import java.util.ArrayList;
import java.util.List;
import org.rmiq.internal.wire.Task;

/**
 * A task not yet collected, and who may answer for it. Guarded by the dispatcher's lock.
 *
 * <p>{@link #holders} lists every session that was handed the task, so a result counts only from
 * one of them (a late but genuine result still wins if none arrived first); {@link #current} is who
 * holds it now: usually one session, two after an overdue task was handed to another worker.
 */
final class TaskEntry {
  final Task task;
  final Job job;

  /** How many times the task was handed out. */
  int attempts;

  /** Every session it was handed to, oldest first (ids, and the rows to credit). */
  final List<Registry.SessionRec> holders = new ArrayList<>(2);

  /** The sessions holding it now. */
  final List<Registry.SessionRec> current = new ArrayList<>(1);

  /** When it was last handed out (ticker time). */
  long leasedAt;

  /** When its latest attempt overruns the task timeout (ticker time); MAX_VALUE for never. */
  long deadline = Long.MAX_VALUE;

  /** When a failed task may be handed out again (ticker time). */
  long retryAt;

  /** Whether it waits in the pending queue now. */
  boolean pending;

  /** Whether it waits out a retry back-off now. */
  boolean backingOff;

  TaskEntry(Task task, Job job) {
    this.task = task;
    this.job = job;
  }

  boolean heldBy(String sessionId) {
    for (Registry.SessionRec s : holders) {
      if (s.id.equals(sessionId)) {
        return true;
      }
    }
    return false;
  }

  Registry.SessionRec holder(String sessionId) {
    for (Registry.SessionRec s : holders) {
      if (s.id.equals(sessionId)) {
        return s;
      }
    }
    return null;
  }

  long id() {
    return task.id();
  }

  String kind() {
    return task.kind();
  }
}
