package org.rmiq.master;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import org.rmiq.internal.wire.Task;
import org.rmiq.report.TaskOutcome;

/**
 * The dispatcher's jobs: their numbers and their tasks' numbers, the heap their tasks may take
 * ({@link TaskMemory}), which ended since the dispatcher last looked, and how many ended jobs stay
 * listed. Guarded by the dispatcher's lock, but for {@link #get} and {@link #all}, which read a
 * concurrent map so outcomes can be delivered to their jobs outside the lock.
 */
final class JobBook {
  /**
   * How many ended jobs stay listed (status page, the session's {@code jobs}): a lesson's worth,
   * while a library that submits task by task, each a job, does not grow without end.
   */
  static final int ENDED_JOBS_KEPT = 1000;

  /**
   * Ended jobs whose timelines are kept: with the running ones, the master holds at most this many
   * plus one times {@link Timeline#MAX_BYTES} of spans (about 8.4 MB).
   */
  static final int TIMELINES_KEPT = 20;

  /** Ended jobs that still have their timelines, oldest first. */
  private final java.util.ArrayDeque<Job> withTimelines = new java.util.ArrayDeque<>();

  /** Jobs by id, oldest first. */
  private final ConcurrentSkipListMap<Long, Job> jobs = new ConcurrentSkipListMap<>();

  private final TaskMemory memory;

  /**
   * Jobs that ended since the dispatcher last emitted, each once (a cancelled job whose last task
   * the cancel itself collected is seen finishing too).
   */
  private final Set<Job> ended = new LinkedHashSet<>();

  /** The ids of ended jobs still listed, oldest first (at most {@link #ENDED_JOBS_KEPT}). */
  private final ArrayDeque<Long> endedIds = new ArrayDeque<>();

  private long nextTaskId = 1;
  private long nextJobId = 1;

  JobBook(long heap) {
    this.memory = new TaskMemory(heap);
  }

  /**
   * Makes a job, after checking its inputs and reserving their memory; its tasks take the ids
   * {@link Job#firstTaskId} on, one per input in order (their entries are made outside the lock, by
   * {@link Dispatcher#release}).
   *
   * @throws IllegalArgumentException when they would not fit the heap, or an input is refused;
   *     nothing is made then
   */
  Job create(
      JobSpec spec,
      Job.State state,
      long now,
      Dispatcher dispatcher,
      BlockingQueue<TaskOutcome> outcomes) {
    List<String> inputs = spec.inputs();
    if (nextTaskId + inputs.size() > Integer.MAX_VALUE) {
      throw new IllegalStateException("a master runs at most " + Integer.MAX_VALUE + " tasks");
    }
    long first = nextTaskId;
    // what each task would refuse, checked once here (a task is made at each lease; the spec
    // checked its kind)
    Task.checkCode(first, spec.code());
    if (!(inputs instanceof NumberRange)) { // a number's text is a valid input
      for (int i = 0; i < inputs.size(); i++) {
        Task.checkInput(first + i, inputs.get(i));
      }
    }
    long bytes = TaskMemory.estimate(inputs);
    memory.reserve(bytes, inputs.size());
    nextTaskId += inputs.size();
    Job job = new Job(nextJobId++, spec, dispatcher, state, now, outcomes);
    job.firstTaskId = first;
    job.submitted = inputs.size();
    job.memoryBytes = bytes;
    jobs.put(job.id(), job);
    return job;
  }

  /** Adds a job from the journal, with what it collected already. */
  Job restore(
      long id,
      JobSpec spec,
      int pendingTasks,
      List<TaskOutcome> collected,
      Job.State state,
      long now,
      Dispatcher dispatcher,
      BlockingQueue<TaskOutcome> outcomes) {
    Job job = new Job(id, spec, dispatcher, state, now, outcomes);
    if (state != Job.State.FINISHED && state != Job.State.CANCELLED) {
      job.memoryBytes = (long) pendingTasks * TaskMemory.BYTES_PER_TASK;
      memory.add(job.memoryBytes); // whether it fits or not: a journal's tasks come back
    }
    nextJobId = Math.max(nextJobId, id + 1);
    job.submitted = (long) pendingTasks + collected.size();
    for (TaskOutcome o : collected) {
      taskSeen(o.id());
      job.count(o);
      if (!o.cancelled() && !o.worker().equals("-")) {
        job.shares.add(o.worker()); // who did what, as before the restart
      }
    }
    jobs.put(id, job);
    return job;
  }

  /** Task ids from the journal: new ones come after them. */
  void taskSeen(long taskId) {
    nextTaskId = Math.max(nextTaskId, taskId + 1);
  }

  /** A running job whose every task was collected finishes. */
  void finishIfDone(Job job) {
    if (job.state == Job.State.RUNNING && job.collected() == job.submitted) {
      job.state = Job.State.FINISHED;
      ended.add(job);
    }
  }

  void cancelled(Job job) {
    job.state = Job.State.CANCELLED;
    ended.add(job);
  }

  /**
   * The jobs that ended since the last call, each once; their memory is given back, and ended jobs
   * beyond the {@value #ENDED_JOBS_KEPT} newest are forgotten.
   */
  List<Job> takeEnded() {
    if (ended.isEmpty()) {
      return List.of();
    }
    List<Job> done = List.copyOf(ended);
    ended.clear();
    for (Job job : done) {
      memory.release(job.memoryBytes);
      endedIds.add(job.id());
      withTimelines.add(job);
    }
    while (withTimelines.size() > TIMELINES_KEPT) {
      withTimelines.poll().dropTimeline();
    }
    while (endedIds.size() > ENDED_JOBS_KEPT) {
      jobs.remove(endedIds.poll());
    }
    return done;
  }

  /** The job with this id, or null (never, but for one that ended long ago); no lock needed. */
  Job get(long id) {
    return jobs.get(id);
  }

  /** Every listed job, oldest first; no lock needed. */
  List<Job> all() {
    return List.copyOf(jobs.values());
  }

  /** A worker joined: every running job has had workers. */
  void workerJoined() {
    for (Job job : jobs.values()) {
      if (job.state == Job.State.RUNNING) {
        job.workersJoined = true;
      }
    }
  }

  /**
   * Marks a worker's end, at {@code at}, on the timelines of the jobs it was part of: the running
   * ones, and those that ended after it was last heard from (their tasks went to others) and show
   * its rows.
   */
  void workerEnded(String worker, long at, boolean silent) {
    for (Job job : jobs.values()) {
      if (job.state == Job.State.RUNNING
          || (job.lastCollectedAt >= at && job.timelineHas(worker))) {
        job.timeline().workerEnded(worker, at, silent);
      }
    }
  }

  /** Counts over every listed job: submitted, pending, leased, ok, failed, cancelled. */
  long[] totals() {
    long[] t = new long[6];
    for (Job job : jobs.values()) {
      t[0] += job.submitted;
      t[1] += job.pending;
      t[2] += job.leased;
      t[3] += job.succeeded;
      t[4] += job.failed;
      t[5] += job.cancelled;
    }
    return t;
  }
}
