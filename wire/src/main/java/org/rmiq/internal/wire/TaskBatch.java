package org.rmiq.internal.wire;

import java.io.Serializable;
import java.util.List;

/** Tasks handed to a worker session under lease, and the master's phase at that moment. */
public record TaskBatch(List<Task> tasks, MasterPhase phase) implements Serializable {

  public TaskBatch {
    tasks = List.copyOf(tasks);
    if (tasks.size() > TakeRequest.MAX_BATCH) {
      throw new IllegalArgumentException("batch of " + tasks.size() + " tasks is too large");
    }
    if (phase == null) {
      throw new IllegalArgumentException("task batch has no master phase");
    }
  }
}
