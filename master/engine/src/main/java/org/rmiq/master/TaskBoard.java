package org.rmiq.master;

import com.google.common.base.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rmiq.internal.wire.ExchangeRequest;
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
    this.wake = wake;
  }

  // ---------------------------------------------------------------- arriving and leaving

  /**
   * Adds a job's tasks (ids in order, made outside the lock); a running job's go to the back of the
   * queue.
   */
  void addAll(List<TaskEntry> entries, Job job) {
    if (!entries.isEmpty()) {
      book.taskSeen(entries.get(entries.size() - 1).id);
    }
    open.addAll(entries);
    if (job.state == Job.State.RUNNING) {
      entries.forEach(pending::addLast);
    }
  }

  /** Queues the tasks of a job that starts now. */
  void start(Job job) {
    open.of(job).forEach(pending::addLast);
  }

  /** Collects every task of {@code job} as cancelled, telling their holders to drop them. */
  List<TaskOutcome> cancel(Job job, String reason) {
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
   * Leases tasks to the link's sessions with room, a burst each in turn so they share what is
   * there, each at most what {@link LeasePolicy} allows; a session with a free thread and nothing
   * to take gets a backup copy of an overdue running task. Returns them by session id.
   */
  Map<String, List<Task>> lease(Registry.LinkRec link, Map<Registry.SessionRec, Integer> room) {
    Map<String, List<Task>> given = new HashMap<>();
    if (room.isEmpty()) {
      return given;
    }
    long now = ticker.read();
    List<Registry.SessionRec> sessions = new ArrayList<>(room.keySet());
    // a session may have left while its link's exchange waited
    sessions.removeIf(s -> link.sessions.get(s.id) != s);
    sessions.sort(Comparator.comparing(s -> s.id));
    Map<Registry.SessionRec, Integer> left = new HashMap<>();
    for (Registry.SessionRec s : sessions) {
      left.put(s, allowance(s, room.get(s), now));
    }
    boolean progress = pending.size() > 0;
    int start = link.nextSession++;
    int total = 0; // one reply carries at most MAX_TASKS, however many sessions ask
    while (progress && total < ExchangeRequest.MAX_TASKS) {
      progress = false;
      for (int i = 0; i < sessions.size(); i++) {
        Registry.SessionRec s = sessions.get((start + i) % sessions.size());
        int n = left.get(s);
        int burst = LeasePolicy.burst(n, sessions.size());
        for (int k = 0; k < burst && n > 0 && total < ExchangeRequest.MAX_TASKS; k++) {
          TaskEntry entry = pending.poll(s);
          if (entry == null) {
            break;
          }
          given.computeIfAbsent(s.id, id -> new ArrayList<>()).add(leaseTo(entry, s, now, false));
          n--;
          total++;
          progress = true;
        }
        left.put(s, n);
      }
    }
    for (Registry.SessionRec s : sessions) {
      if (!given.containsKey(s.id) && LeasePolicy.freeThreads(s) > 0 && !pending.hasAnyFor(s)) {
        TaskEntry overdue = oldestOverdue(s, now);
        if (overdue != null) {
          given.put(s.id, new ArrayList<>(List.of(leaseTo(overdue, s, now, true))));
        }
      }
    }
    return given;
  }

  /** What {@code s} may take now (see {@link LeasePolicy#allowance}). */
  private int allowance(Registry.SessionRec s, int room, long now) {
    long waiting = pending.sizeFor(s);
    // The others' idle threads matter only while the waiting tasks would not fill every thread.
    long idleElsewhere = waiting <= registry.threads ? registry.idleThreadsBesides(s) : 0;
    return LeasePolicy.allowance(s, room, now, waiting, idleElsewhere);
  }

  /**
   * The running task held longest past its job's hold limit that {@code s} could run and neither it
   * nor another session of its worker JVM holds; null when there is none. Called only when {@code
   * s} is idle and nothing waits for it: at the end of a job, over the tasks held now.
   */
  private TaskEntry oldestOverdue(Registry.SessionRec s, long now) {
    TaskEntry oldest = null;
    for (Registry.SessionRec holder : registry.sessions.values()) {
      if (holder.link == s.link) {
        continue;
      }
      for (TaskEntry entry : holder.held) {
        if ((oldest == null || entry.leasedAt < oldest.leasedAt)
            && s.runs(entry)
            && LeasePolicy.wantsBackup(entry, now)) {
          oldest = entry;
        }
      }
    }
    return oldest;
  }

  private Task leaseTo(TaskEntry entry, Registry.SessionRec session, long now, boolean backup) {
    if (!backup) {
      entry.attempts++; // a backup copy is not an attempt: it races one already under way
      entry.leasedAt = now;
      clock.watch(entry, now);
    } else {
      entry.backups++;
      if (entry.backupHolders == null) {
        entry.backupHolders = new FewSessions();
      }
      entry.backupHolders.add(session);
    }
    if (entry.current.isEmpty()) {
      entry.job.pending--;
      entry.job.leased++;
    }
    entry.handedTo(session);
    session.held.add(entry);
    if (entry.job.firstTakenAt < 0) {
      entry.job.firstTakenAt = now;
    }
    if (Replicas.wantsAnotherCopy(entry)) {
      pending.addLast(entry); // the next replica, for a worker in another JVM
    }
    return entry.task();
  }

  // ---------------------------------------------------------------- results

  /**
   * Applies one counting result to its task; returns the outcome when the task is collected, null
   * when a retryable failure sends it back or a replicated task waits for more answers.
   */
  TaskOutcome complete(TaskEntry entry, TaskResult result, Registry.SessionRec by, long now) {
    Attribution.span(
        entry, by, result.lane(), now, result.millis(), Attribution.spanState(entry, result, by));
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
