package org.rmiq.master;

/**
 * What a kind's queue of waiting tasks holds ({@link KindQueue}): one task's entry, or a run of a
 * job's tasks whose entries are made as they are handed out.
 */
sealed interface Waiting permits TaskEntry, UnmadeTasks {
  /** The job whose task (or tasks) it is. */
  Job job();

  /** The id of the task it would hand out next; ids order the queues' heads across kinds. */
  long nextId();
}
