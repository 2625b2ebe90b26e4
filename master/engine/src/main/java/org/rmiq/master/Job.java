package org.rmiq.master;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.rmiq.report.JobProgress;
import org.rmiq.report.TaskOutcome;

/**
 * A job on the master: its tasks, and their outcomes as they are collected, each exactly once.
 *
 * <p>A job runs as soon as it is started; a session master queues jobs and starts each when the one
 * before has ended, so they run one after another on the same workers. Cancelling a job withdraws
 * its tasks: waiting ones at once, running ones from their workers; each is reported as failed with
 * the reason, so nothing submitted is silently dropped.
 *
 * <pre>{@code
 * Job job = master.startJob(JobSpec.of("square 1..3", "square", List.of("1", "2", "3")));
 * for (TaskOutcome o; (o = job.poll(Duration.ofSeconds(30))) != null; ) {
 *   System.out.println(o.input() + " -> " + o.value());
 * }
 * }</pre>
 */
public final class Job {
  /** Where a job stands. */
  public enum State {
    /** Submitted to a session master, waiting for the jobs before it. */
    QUEUED,
    /** Its tasks are handed out. */
    RUNNING,
    /** Every task was collected. */
    FINISHED,
    /** Cancelled; its tasks were withdrawn. */
    CANCELLED
  }

  private final long id;

  /** What it runs; its inputs are dropped once it ended ({@link #forgetInputs}). */
  private volatile JobSpec spec;

  private final Dispatcher dispatcher;

  /** Outcomes collected and not yet polled, in the order they were collected. */
  private final BlockingQueue<TaskOutcome> outcomes;

  /** The id of its first task; the others follow in input order (not for a restored job). */
  long firstTaskId;

  // Guarded by the dispatcher's lock.
  State state;

  /** Its tasks not handed out yet, for a new job (null for a restored one): see UnmadeTasks. */
  UnmadeTasks unmade;

  long submitted;
  long succeeded;
  long failed;
  long cancelled;
  long pending;
  long leased;
  long startedAt;
  long firstTakenAt = -1;
  long lastCollectedAt;
  boolean workersJoined;

  /** Whether workers were connected when it started: then it never waited for a first one. */
  boolean workersAtStart;

  String cancelReason;

  /** It starts running now, with or without workers connected. */
  void startedWith(boolean workersNow) {
    workersJoined = workersNow;
    workersAtStart = workersNow;
  }

  /** The work and wait times of an ended job restored from the journal, or null. */
  private volatile Duration savedWork;

  private volatile Duration savedWait;

  /** Its times as the journal recorded them when it ended (it ran before a restart). */
  void saved(Duration work, Duration wait) {
    this.savedWork = work;
    this.savedWait = wait;
  }

  /** What its tasks were estimated to take of the heap ({@link TaskMemory}). */
  long memoryBytes;

  /** Opens when the job ends (its last outcome is in its queue by then). */
  private final java.util.concurrent.CountDownLatch ended =
      new java.util.concurrent.CountDownLatch(1);

  /** Its tasks collected as ok so far, and their time on the workers together (backup copies). */
  long finishedOk;

  long finishedOkMillis;

  /** Its task timeline (null until its first span, and again once it is too old to keep). */
  private volatile Timeline timeline;

  /** Whether its timeline was dropped to bound the master's memory. */
  private volatile boolean timelineDropped;

  /** Its first failures, for its page: at most {@value #FAILURES_KEPT}. */
  private final java.util.List<TaskOutcome> failures = new java.util.ArrayList<>();

  static final int FAILURES_KEPT = 100;

  /** Its timeline, made at its first span; call with the dispatcher's lock held. */
  Timeline timeline() {
    Timeline t = timeline;
    if (t == null) {
      t = new Timeline(startedAt);
      timeline = timelineDropped ? null : t; // a dropped one is not kept again
    }
    return t;
  }

  /** Whether {@code worker} ran an attempt on its timeline (kept now). */
  boolean timelineHas(String worker) {
    Timeline t = timeline;
    return t != null && t.has(worker);
  }

  /** Forgets its timeline (an old job's), keeping everything else. */
  void dropTimeline() {
    timelineDropped = true;
    timeline = null;
  }

  /** Its timeline now, or null when it has none (yet, or any more). */
  public org.rmiq.report.JobTimeline timelineReport() {
    Timeline t = timeline;
    return t == null ? null : t.report(id);
  }

  /** Its first failures (at most {@value #FAILURES_KEPT}), oldest first. */
  public java.util.List<TaskOutcome> failures() {
    synchronized (failures) {
      return java.util.List.copyOf(failures);
    }
  }

  /** Tasks collected per worker name, for shares. */
  final Shares shares = new Shares();

  /**
   * @param outcomes where its outcomes go: its own queue, or the master's shared one for tasks
   *     submitted with {@code Master.submit}
   */
  Job(
      long id,
      JobSpec spec,
      Dispatcher dispatcher,
      State state,
      long now,
      BlockingQueue<TaskOutcome> outcomes) {
    this.id = id;
    this.spec = spec;
    this.dispatcher = dispatcher;
    this.state = state;
    this.startedAt = now;
    this.outcomes = outcomes;
    if (state == State.FINISHED || state == State.CANCELLED) {
      ended.countDown();
    }
  }

  /** Outcomes still to come into its queue (each task's one outcome, once released). */
  private long toCome;

  /** Whether the dispatcher saw it end (its last task collected, or cancelled). */
  private boolean endSeen;

  /** {@code count} more tasks will each put one outcome in its queue. */
  synchronized void expect(int count) {
    toCome += count;
  }

  /**
   * Called (outside the dispatcher's lock) once it finished or was cancelled. It counts as done
   * only when every outcome is in its queue too: another exchange may still be handing one over.
   */
  void markEnded() {
    synchronized (this) {
      endSeen = true;
      if (toCome > 0) {
        return;
      }
    }
    ended.countDown();
  }

  /**
   * Waits up to {@code timeout} for it to finish or be cancelled; true if it did.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitDone(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Its counts and timing at {@code now}, with {@code sessions} workers connected; call with the
   * dispatcher's lock held.
   */
  JobProgress progressAt(long now, int sessions) {
    if (savedWork != null && isDoneLocked()) {
      return new JobProgress(
          submitted, succeeded, failed, cancelled, pending, leased, sessions, true, savedWork,
          savedWait);
    }
    long end = isDoneLocked() ? lastCollectedAt : now;
    Duration work =
        firstTakenAt < 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, end - firstTakenAt));
    Duration waited =
        workersAtStart
            ? Duration.ZERO
            : Duration.ofNanos(Math.max(0, (firstTakenAt < 0 ? end : firstTakenAt) - startedAt));
    return new JobProgress(
        submitted,
        succeeded,
        failed,
        cancelled,
        pending,
        leased,
        sessions,
        workersJoined || sessions > 0,
        work,
        waited);
  }

  /** Counts one collected outcome; call with the dispatcher's lock held. */
  void count(TaskOutcome outcome) {
    switch (outcome.state()) {
      case OK -> succeeded++;
      case FAILED -> {
        failed++;
        synchronized (failures) {
          if (failures.size() < FAILURES_KEPT) {
            failures.add(outcome);
          }
        }
      }
      case CANCELLED -> cancelled++;
    }
  }

  /** Tasks collected: ok, failed or cancelled; call with the dispatcher's lock held. */
  long collected() {
    return succeeded + failed + cancelled;
  }

  /** Whether it ended; call with the dispatcher's lock held. */
  boolean isDoneLocked() {
    return state == State.FINISHED || state == State.CANCELLED;
  }

  /** Its number on this master (1, 2, …). */
  public long id() {
    return id;
  }

  /**
   * What it runs. Once the job ended its {@link JobSpec#inputs} are empty: every input is in its
   * task's outcome, and a session master that runs job after job keeps no old job's inputs.
   */
  public JobSpec spec() {
    return spec;
  }

  /** Drops the inputs once every task was collected; the rest of the spec stays. */
  void forgetInputs() {
    spec = spec.withoutInputs();
  }

  /** The next collected outcome, waiting up to {@code timeout}; null if none arrived in time. */
  public TaskOutcome poll(Duration timeout) throws InterruptedException {
    return outcomes.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Moves up to {@code max} collected outcomes into {@code into}; returns how many. */
  public int drainTo(Collection<? super TaskOutcome> into, int max) {
    return outcomes.drainTo(into, max);
  }

  /** Outcomes collected and not yet polled. */
  public int waiting() {
    return outcomes.size();
  }

  /** Its counts and timing now. */
  public JobProgress progress() {
    return dispatcher.progressOf(this);
  }

  public State state() {
    return dispatcher.stateOf(this);
  }

  /**
   * True once finished or cancelled and every outcome is in its queue (so a caller that sees it
   * done and drains the queue has seen every outcome).
   */
  public boolean isDone() {
    return ended.getCount() == 0;
  }

  /** Starts a queued job: its tasks are handed out from now on. */
  public void start() {
    dispatcher.start(this);
  }

  /** Withdraws its tasks; each not yet collected becomes a failed outcome saying {@code reason}. */
  public void cancel(String reason) {
    dispatcher.cancel(this, reason);
  }

  void add(TaskOutcome outcome) {
    outcomes.add(outcome);
    boolean last;
    synchronized (this) {
      toCome--;
      last = endSeen && toCome <= 0;
    }
    if (last) {
      ended.countDown();
    }
  }

  @Override
  public String toString() {
    return "job " + id + " (" + spec.spec() + ")";
  }
}
