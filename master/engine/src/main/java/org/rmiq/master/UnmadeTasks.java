package org.rmiq.master;

/**
 * A new job's tasks whose entries are not made yet: those from {@code next} to its end, in id
 * order. An entry is made when its task is handed out (or its job is cancelled), so a waiting task
 * costs nothing but its input and its slot in {@link OpenTasks}. Made all at once, a million
 * entries (88 bytes each) took the collector seven young collections and 0.7 s of pauses while the
 * job was being made, and then sat in the old generation, where every lease's write to them cost G1
 * a card and a remembered-set update; made at the lease they live and die young. Guarded by the
 * dispatcher's lock.
 */
final class UnmadeTasks implements Waiting {
  private final Job job;
  private final OpenTasks open;
  private final int end;
  private int next;

  /** All of {@code job}'s tasks; their ids are reserved in {@code open}. */
  UnmadeTasks(Job job, OpenTasks open) {
    this.job = job;
    this.open = open;
    this.end = job.spec().inputs().size();
  }

  @Override
  public Job job() {
    return job;
  }

  @Override
  public long nextId() {
    return job.firstTaskId + next;
  }

  /** How many tasks are left to make. */
  int size() {
    return end - next;
  }

  boolean isEmpty() {
    return next == end;
  }

  /** Makes the next task's entry, open and not waiting in any queue. */
  TaskEntry make() {
    if (isEmpty()) {
      throw new IllegalStateException(job + " has no unmade tasks left");
    }
    TaskEntry entry = TaskEntry.ofIndex(job, next++);
    open.put(entry);
    return entry;
  }
}
