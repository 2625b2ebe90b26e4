package org.rmiq.master;

import com.google.common.base.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.report.JobTimeline;
import org.rmiq.report.TaskOutcome;
import org.rmiq.util.Durations;

/**
 * Where every task not yet collected stands, and the moves between those places: waiting in the
 * queue ({@link PendingTasks}), waiting out a retry back-off ({@link RetryClock}), held by one or
 * more sessions, collected (ok, failed or cancelled). Each move keeps its job's counts so that
 * waiting + held + collected is always the job's size. Not thread-safe: the dispatcher calls it
 * under its lock and wakes waiting exchanges when {@code wake} says tasks became available.
 */
final class TaskBoard {
  private final Ticker ticker;
  private final Registry registry;
  private final JobBook book;
  private final RetryClock clock;
  private final PendingTasks pending;
  private final Leasing leasing;
  private final Runnable wake;

  /** Every task handed out or waiting, not yet collected, by id. */
  private final OpenTasks open = new OpenTasks();

  /** Re-queued tasks' attempt counts, for the journal once the lock is released. */
  private final Map<Long, Integer> requeued = new HashMap<>();

  /**
   * Open tasks some worker declined, checked on each beat for whether anyone still would run them.
   */
  private final Set<TaskEntry> declinedOpen = new LinkedHashSet<>();

  TaskBoard(Ticker ticker, Registry registry, JobBook book, Duration retryBackoff, Runnable wake) {
    this.ticker = ticker;
    this.registry = registry;
    this.book = book;
    this.clock = new RetryClock(retryBackoff);
    this.pending = new PendingTasks(registry);
    this.leasing = new Leasing(registry, pending, clock);
    this.wake = wake;
  }

  // ---------------------------------------------------------------- arriving and leaving

  /**
   * Adds a job's tasks: a restored job's {@code entries} (ids in order), or when null a new job's,
   * their entries made as they are handed out. A running job's go to the back of the queue.
   */
  void add(Job job, List<TaskEntry> entries) {
    if (entries != null) {
      if (!entries.isEmpty()) {
        book.taskSeen(entries.get(entries.size() - 1).id);
      }
      open.addAll(entries);
      if (job.state == Job.State.RUNNING) {
        entries.forEach(pending::addLast);
      }
      return;
    }
    int size = job.spec().inputs().size();
    if (size > 0) {
      book.taskSeen(job.firstTaskId + size - 1);
      open.reserve(job.firstTaskId, size, job);
      job.unmade = new UnmadeTasks(job, open);
      if (job.state == Job.State.RUNNING) {
        pending.addLast(job.unmade);
      }
    }
  }

  /** Queues the tasks of a job that starts now. */
  void start(Job job) {
    open.of(job).forEach(pending::addLast);
    if (job.unmade != null) {
      pending.addLast(job.unmade);
    }
  }

  /** Collects every task of {@code job} as cancelled, telling their holders to drop them. */
  List<TaskOutcome> cancel(Job job, String reason) {
    if (job.unmade != null) { // its waiting tasks' entries are made now, to be collected
      pending.remove(job.unmade);
      while (!job.unmade.isEmpty()) {
        job.unmade.make();
      }
    }
    List<TaskEntry> theirs = open.of(job); // in id order
    List<TaskOutcome> outcomes = new ArrayList<>(theirs.size());
    for (TaskEntry entry : theirs) {
      for (Registry.SessionRec holder : entry.current) {
        Attribution.heldUntil(ticker.read(), entry, holder, JobTimeline.State.CANCELLED);
      }
      withdraw(entry);
      outcomes.add(
          collect(
              entry,
              TaskOutcome.State.CANCELLED,
              TaskResult.failed(entry.id(), reason, false, 0),
              null));
    }
    return outcomes;
  }

  TaskEntry get(long taskId) {
    return open.get(taskId);
  }

  /** Whether task {@code taskId} waits to be handed out for the first time (nobody has it). */
  boolean neverHandedOut(long taskId) {
    return open.isUnmade(taskId);
  }

  /** Waiting tasks, for the status of kinds nobody runs. */
  PendingTasks pending() {
    return pending;
  }

  /** Whether a task {@code session} could take is waiting, or a retry may soon be. */
  boolean anyFor(Registry.SessionRec session) {
    return pending.hasAnyFor(session) || clock.anyBackingOff();
  }

  /** How long a waiting exchange may sleep: {@code left}, or until the next retry is due. */
  long sleepFor(long left, long now) {
    return clock.sleepFor(left, now);
  }

  /** The attempt counts of tasks re-queued since the last call. */
  Map<Long, Integer> takeRequeued() {
    if (requeued.isEmpty()) {
      return Map.of();
    }
    Map<Long, Integer> back = Map.copyOf(requeued);
    requeued.clear();
    return back;
  }

  // ---------------------------------------------------------------- handing out

  /** Moves retries whose back-off is over to the back of the queue. */
  void promoteDueRetries() {
    for (TaskEntry entry : clock.due(ticker.read())) {
      if (!entry.pending) {
        pending.addLast(entry);
      }
    }
  }

  /**
   * Leases tasks to the link's sessions with room ({@link Leasing}); returns them by session id.
   */
  Map<String, List<Task>> lease(Registry.LinkRec link, Map<Registry.SessionRec, Integer> room) {
    return leasing.lease(link, room, ticker.read());
  }

  // ---------------------------------------------------------------- results

  /**
   * Applies one counting result to its task; returns the outcome when the task is collected, null
   * when a retryable failure sends it back or a replicated task waits for more answers.
   */
  TaskOutcome complete(TaskEntry entry, TaskResult result, Registry.SessionRec by, long now) {
    Attribution.span(
        entry,
        by,
        result.lane(),
        Attribution.endedAt(result, now),
        result.millis(),
        Attribution.spanState(entry, result, by));
    if (result.declined()) {
      return declined(entry, result, by);
    }
    by.held.remove(entry);
    if (!result.isOk() && result.retryable() && entry.attempts < entry.job.spec().handOutLimit()) {
      if (entry.current.remove(by) && entry.current.isEmpty()) {
        entry.job.leased--;
        entry.job.pending++;
        if (!entry.pending) {
          // a stale holder's failure, or one with another holder, does not back off
          clock.backOff(entry, now);
          wake.run(); // a waiting exchange recomputes how long to sleep
        } // else a replicated task already waiting for its next worker: it simply waits on
      }
      return null;
    }
    if (entry.replicas() > 1 && result.isOk()) {
      Replicas.Verdict verdict = Replicas.answered(entry, result, by);
      if (verdict instanceof Replicas.Collect c) {
        return collect(entry, Attribution.outcomeState(c.result()), c.result(), by);
      }
      if (((Replicas.Wait) verdict).credited()) {
        Attribution.credit(by, entry.job, result);
      }
      if (entry.current.remove(by) && entry.current.isEmpty()) {
        backToFront(entry);
        wake.run();
      }
      return null;
    }
    // collect() counts it as leased while anyone (the sender included) still holds it
    return collect(entry, Attribution.outcomeState(result), result, by);
  }

  /**
   * A worker would not run the task by its own settings: that is no attempt and no failure. The
   * task goes back to the front of the queue for a worker JVM that has not declined it; only when
   * no connected one could take it does it fail, with the worker's reason (which names the setting
   * that would allow it).
   */
  private TaskOutcome declined(TaskEntry entry, TaskResult result, Registry.SessionRec by) {
    entry.declinedBy(by.link);
    entry.declinedWhy = result.error();
    if (!anotherCouldRun(entry)) {
      return nobodyWillRun(entry, by, result.millis());
    }
    declinedOpen.add(entry);
    by.held.remove(entry);
    if (entry.current.remove(by) && entry.current.isEmpty()) {
      entry.attempts = Math.max(0, entry.attempts - 1); // the lease counted it: give it back
      backToFront(entry);
      wake.run();
    }
    return null;
  }

  private TaskOutcome nobodyWillRun(TaskEntry entry, Registry.SessionRec by, long millis) {
    return collect(
        entry,
        TaskOutcome.State.FAILED,
        TaskResult.failed(
            entry.id(), entry.declinedWhy + " (no connected worker would run it)", false, millis),
        by);
  }

  /**
   * Fails the declined tasks that wait while no connected worker would run them any more (the ones
   * that would have left); called on the housekeeper's beat.
   */
  void failDeclinedNobodyRuns(List<TaskOutcome> outcomes) {
    for (TaskEntry entry : List.copyOf(declinedOpen)) {
      if (entry.current.isEmpty() && !anotherCouldRun(entry)) {
        outcomes.add(nobodyWillRun(entry, null, 0));
      }
    }
  }

  /** Whether a connected worker JVM that has not declined {@code entry} runs its kind. */
  private boolean anotherCouldRun(TaskEntry entry) {
    for (Registry.SessionRec s : registry.sessions.values()) {
      if (s.runs(entry) && !entry.declinedBy.contains(s.link)) {
        return true;
      }
    }
    return false;
  }

  /** Collects a task: out of every queue, counted, attributed. Returns its outcome. */
  private TaskOutcome collect(
      TaskEntry entry, TaskOutcome.State state, TaskResult result, Registry.SessionRec by) {
    open.remove(entry);
    if (entry.declinedBy != null) {
      declinedOpen.remove(entry);
    }
    if (entry.pending) {
      pending.remove(entry);
    }
    clock.forget(entry);
    for (Registry.SessionRec holder : entry.current) {
      holder.held.remove(entry);
    }
    Job job = entry.job;
    if (entry.current.isEmpty()) {
      job.pending--;
    } else {
      job.leased--;
      entry.current.clear();
    }
    if (by != null) {
      Attribution.credit(by, job, result);
    }
    if (state == TaskOutcome.State.OK) {
      job.finishedOk++;
      job.finishedOkMillis += result.millis();
    }
    TaskOutcome outcome =
        new TaskOutcome(
            entry.id(),
            job.id(),
            entry.kind(),
            entry.input(),
            state,
            result.value(),
            result.error(),
            by == null ? "-" : by.row.name,
            Math.max(entry.attempts, 1),
            result.millis(),
            result.details());
    job.count(outcome);
    job.lastCollectedAt = ticker.read();
    book.finishIfDone(job);
    return outcome;
  }

  /** A task nobody holds any more waits again, at the front of its queue. */
  private void backToFront(TaskEntry entry) {
    entry.job.leased--;
    entry.job.pending++;
    if (!entry.pending) {
      pending.addFirst(entry);
    }
  }

  /** Tells the task's holders to drop it (its job was cancelled, or its attempts ran out). */
  private static void withdraw(TaskEntry entry) {
    for (Registry.SessionRec holder : entry.current) {
      holder.link.withdrawn.add(entry.id());
    }
  }

  // ---------------------------------------------------------------- sessions that go

  /**
   * Takes a session's tasks away from it: each goes back to the front of the queue unless another
   * session holds it too ({@code refund}: the attempt did not happen). Attempts that did happen are
   * kept for the journal ({@link #takeRequeued}).
   */
  void release(Registry.SessionRec session, boolean refund) {
    List<TaskEntry> held = new ArrayList<>(session.held);
    session.held.clear();
    for (int i = held.size() - 1; i >= 0; i--) { // in reverse: they keep their order in front
      TaskEntry entry = held.get(i);
      if (open.contains(entry)) {
        Attribution.heldUntil(ticker.read(), entry, session, JobTimeline.State.REDELIVERED);
      }
      entry.current.remove(session);
      if (!entry.current.isEmpty() || !open.contains(entry)) {
        continue;
      }
      if (refund) {
        entry.attempts = Math.max(0, entry.attempts - 1);
      }
      backToFront(entry);
      if (!refund) {
        requeued.put(entry.id(), entry.attempts);
      }
    }
  }

  /** A silent session's tasks go back, or fail when it held their last attempt. */
  void expire(Registry.SessionRec session, List<TaskOutcome> outcomes) {
    for (TaskEntry entry : List.copyOf(session.held)) {
      if (entry.current.size() == 1 && entry.attempts >= entry.job.spec().handOutLimit()) {
        String why =
            "lease expired on each of "
                + entry.attempts
                + " attempts (last: "
                + session.row.name
                + " stopped answering)";
        outcomes.add(failed(entry, why));
      }
    }
    release(session, false);
  }

  /** Hands tasks that ran past their task timeout to others (or fails them); returns how many. */
  int reissueOverdue(long now, List<TaskOutcome> outcomes) {
    int overdue = 0;
    for (RetryClock.Deadline d : clock.overdue(now)) {
      TaskEntry entry = d.entry();
      if (!open.contains(entry) || entry.attempts != d.attempt() || entry.current.isEmpty()) {
        continue; // collected, re-issued or released since
      }
      overdue++;
      if (entry.attempts >= entry.job.spec().handOutLimit()) {
        withdraw(entry);
        String why =
            "ran past the task timeout of "
                + Durations.format(Duration.ofMillis(entry.timeoutMillis()))
                + " on each of "
                + entry.attempts
                + " attempts (last on "
                + entry.current.first().row.name
                + ")";
        outcomes.add(failed(entry, why));
      } else if (!entry.pending) {
        pending.addFirst(entry); // another worker may take it; the first result wins
      }
    }
    return overdue;
  }

  private TaskOutcome failed(TaskEntry entry, String why) {
    return collect(
        entry, TaskOutcome.State.FAILED, TaskResult.failed(entry.id(), why, false, 0), null);
  }

  /** Whether {@code session} holds task {@code taskId} now. */
  boolean holds(Registry.SessionRec session, long taskId) {
    TaskEntry entry = open.get(taskId);
    return entry != null && entry.current.contains(session);
  }
}
