package org.rmiq.master;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's task queue and its delivery rules, as plain Java (no RMI), timed by a {@link Ticker}
 * so the rules are tested without sleeping.
 *
 * <p>Policy: tasks are handed out in submission order. {@link #take} leases tasks to a worker
 * session; a session renews all its leases whenever it calls in. A session silent for longer than
 * the lease is dropped by {@link #expireSessions} and its tasks go back to the front of the queue.
 * The first result for a task is collected (exactly once); later ones are counted as duplicates and
 * discarded. A retryable failure is re-queued until the task has been handed out {@code
 * maxAttempts} times, after a back-off that doubles with each attempt; then, or at once for a
 * non-retryable failure, it is collected as failed. Collected outcomes go to the sink in the order
 * they were decided, outside the lock but before the call that decided them returns, so a sink that
 * journals them makes them durable before the worker's report is acknowledged.
 */
final class TaskQueue {
  private static final Logger log = LoggerFactory.getLogger(TaskQueue.class);
  private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(30).toNanos();

  private final Ticker ticker;
  private final long leaseNanos;
  private final int maxAttempts;
  private final long retryBackoffNanos;
  private final Consumer<List<TaskOutcome>> sink;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition available = lock.newCondition();

  /** Tasks waiting to be handed out, by kind, the next one first. */
  @GuardedBy("lock")
  private final PendingTasks pending = new PendingTasks();

  /** Tasks waiting out a retry back-off, the soonest due first. */
  @GuardedBy("lock")
  private final PriorityQueue<Entry> backingOff =
      new PriorityQueue<>(Comparator.comparingLong((Entry e) -> e.retryAt));

  /** Every task not yet collected (pending, backing off or leased), by id. */
  @GuardedBy("lock")
  private final Map<Long, Entry> open = new HashMap<>();

  /** Live worker sessions by id. */
  @GuardedBy("lock")
  private final Map<String, Session> sessions = new HashMap<>();

  /** Ids of collected tasks, for de-duplication; ids are dense from 1. */
  @GuardedBy("lock")
  private final BitSet collected = new BitSet();

  @GuardedBy("lock")
  private long nextId = 1;

  @GuardedBy("lock")
  private long succeeded;

  @GuardedBy("lock")
  private long failed;

  @GuardedBy("lock")
  private long duplicates;

  @GuardedBy("lock")
  private long expiredSessions;

  TaskQueue(
      Ticker ticker,
      Duration lease,
      int maxAttempts,
      Duration retryBackoff,
      Consumer<List<TaskOutcome>> sink) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be >= 1, was " + maxAttempts);
    }
    this.ticker = ticker;
    this.leaseNanos = lease.toNanos();
    this.maxAttempts = maxAttempts;
    this.retryBackoffNanos = retryBackoff.toNanos();
    this.sink = sink;
  }

  /** Queues one task per input, in order, and returns them with their ids. */
  List<Task> submit(String kind, List<String> inputs) {
    List<Task> tasks = prepare(kind, inputs);
    enqueue(tasks);
    return tasks;
  }

  /** Gives each input a task id without queueing it yet (so it can be journaled first). */
  List<Task> prepare(String kind, List<String> inputs) {
    Task.checkKind(kind);
    lock.lock();
    try {
      if (nextId + inputs.size() > Integer.MAX_VALUE) {
        throw new IllegalStateException("a master runs at most " + Integer.MAX_VALUE + " tasks");
      }
      List<Task> tasks = new ArrayList<>(inputs.size());
      for (String input : inputs) {
        tasks.add(new Task(nextId++, kind, input));
      }
      return tasks;
    } finally {
      lock.unlock();
    }
  }

  /** Makes prepared (or restored) tasks available to workers, in order. */
  void enqueue(List<Task> tasks) {
    lock.lock();
    try {
      for (Task task : tasks) {
        Entry entry = new Entry(task);
        pending.addLast(entry);
        open.put(task.id(), entry);
        nextId = Math.max(nextId, task.id() + 1);
      }
      available.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Marks outcomes collected by an earlier run (from the journal): never handed out again. */
  void restoreCollected(List<TaskOutcome> outcomes) {
    lock.lock();
    try {
      for (TaskOutcome outcome : outcomes) {
        collected.set((int) outcome.id());
        nextId = Math.max(nextId, outcome.id() + 1);
        if (outcome.ok()) {
          succeeded++;
        } else {
          failed++;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts a session for a worker that runs any kind; see {@link #openSession(String, String,
   * Set)}.
   */
  void openSession(String sessionId, String workerName) {
    openSession(sessionId, workerName, null);
  }

  /**
   * Starts a session for a worker that runs {@code kinds} (null: any kind); its leases live as long
   * as it keeps calling in.
   */
  void openSession(String sessionId, String workerName, Set<String> kinds) {
    lock.lock();
    try {
      sessions.put(
          sessionId,
          new Session(workerName, ticker.read(), kinds == null ? null : Set.copyOf(kinds)));
    } finally {
      lock.unlock();
    }
  }

  /** Renews the session's leases; false when the session is unknown (expired or never opened). */
  boolean renew(String sessionId) {
    lock.lock();
    try {
      Session session = sessions.get(sessionId);
      if (session == null) {
        return false;
      }
      session.renewedAt = ticker.read();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Leases up to {@code max} tasks to the session, waiting up to {@code wait} for the first.
   *
   * @return the leased tasks (possibly none), or null when the session is unknown
   */
  List<Task> take(String sessionId, int max, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      Session session;
      while ((session = sessions.get(sessionId)) != null) {
        promoteDueRetries();
        long left = deadline - System.nanoTime();
        if (pending.hasAnyOf(session.kinds) || left <= 0) {
          break;
        }
        long untilRetry =
            backingOff.isEmpty()
                ? left
                : Math.max(1_000_000, backingOff.peek().retryAt - ticker.read());
        available.awaitNanos(Math.min(left, untilRetry));
      }
      if (session == null) {
        return null;
      }
      session.renewedAt = ticker.read();
      List<Task> tasks = new ArrayList<>(Math.min(max, pending.size()));
      for (Entry entry; tasks.size() < max && (entry = pending.poll(session.kinds)) != null; ) {
        entry.attempts++;
        entry.holder = sessionId;
        session.held.add(entry.task.id());
        tasks.add(entry.task);
      }
      return tasks;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Applies results reported by a session (known or not: a late result still counts if its task is
   * not yet collected).
   */
  Report complete(String sessionId, String workerName, List<TaskResult> results) {
    List<TaskOutcome> outcomes = new ArrayList<>(results.size());
    int accepted = 0;
    int dupes = 0;
    lock.lock();
    try {
      Session session = sessions.get(sessionId);
      if (session != null) {
        session.renewedAt = ticker.read();
      }
      for (TaskResult result : results) {
        long id = result.taskId();
        Entry entry = open.get(id);
        if (entry == null) {
          dupes++;
          continue;
        }
        if (!result.isOk() && result.retryable() && entry.attempts < maxAttempts) {
          if (sessionId.equals(entry.holder)) {
            backOff(entry); // a stale holder's failure does not count
          }
          continue;
        }
        outcomes.add(collect(entry, result, workerName));
        accepted++;
      }
      duplicates += dupes;
    } finally {
      lock.unlock();
    }
    if (dupes > 0) {
      log.warn("master: discarded {} late or duplicate result(s) from {}", dupes, workerName);
    }
    emit(outcomes);
    return new Report(accepted, dupes, sessionKnown(sessionId));
  }

  /** Whether the task was submitted and is not yet collected (a result for it would count). */
  boolean isOpen(long taskId) {
    lock.lock();
    try {
      return open.containsKey(taskId);
    } finally {
      lock.unlock();
    }
  }

  /** Ends a session; the tasks it held go back to the front of the queue, attempts not counted. */
  void closeSession(String sessionId) {
    lock.lock();
    try {
      Session session = sessions.remove(sessionId);
      if (session != null) {
        releaseAll(session, true);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops every session that has not called in within the lease; their tasks go back to the front
   * of the queue (the attempt counts), or fail once they have used every attempt.
   *
   * @return the names of the workers dropped
   */
  List<String> expireSessions() {
    List<String> expired = new ArrayList<>();
    List<TaskOutcome> outcomes = new ArrayList<>();
    lock.lock();
    try {
      long now = ticker.read();
      var it = sessions.values().iterator();
      while (it.hasNext()) {
        Session session = it.next();
        if (now - session.renewedAt > leaseNanos) {
          it.remove();
          expiredSessions++;
          expired.add(session.workerName);
          for (Long id : List.copyOf(session.held)) {
            Entry entry = open.get(id);
            if (entry.attempts >= maxAttempts) {
              String error =
                  "lease expired on each of "
                      + entry.attempts
                      + " attempts (last: "
                      + session.workerName
                      + " stopped answering)";
              outcomes.add(collect(entry, TaskResult.failed(id, error, false, 0), "-"));
            }
          }
          releaseAll(session, false);
        }
      }
    } finally {
      lock.unlock();
    }
    emit(outcomes);
    return expired;
  }

  /**
   * Kinds with waiting tasks that no live session runs, with how many wait; empty when there is no
   * live session at all (then nobody runs anything yet).
   */
  Map<String, Integer> unservedKinds() {
    lock.lock();
    try {
      Map<String, Integer> waiting = new java.util.TreeMap<>(pending.countsByKind());
      if (sessions.isEmpty()) {
        return Map.of();
      }
      for (Session session : sessions.values()) {
        if (session.kinds == null) {
          return Map.of();
        }
        waiting.keySet().removeAll(session.kinds);
      }
      return waiting;
    } finally {
      lock.unlock();
    }
  }

  /** The kinds the live sessions run, together (empty when a session runs any kind). */
  Set<String> servedKinds() {
    lock.lock();
    try {
      Set<String> kinds = new java.util.TreeSet<>();
      for (Session session : sessions.values()) {
        if (session.kinds != null) {
          kinds.addAll(session.kinds);
        }
      }
      return kinds;
    } finally {
      lock.unlock();
    }
  }

  /** Counts for progress reports. */
  Stats stats() {
    lock.lock();
    try {
      promoteDueRetries();
      long waiting = (long) pending.size() + backingOff.size();
      return new Stats(
          nextId - 1,
          waiting,
          open.size() - waiting,
          succeeded,
          failed,
          duplicates,
          sessions.size(),
          expiredSessions);
    } finally {
      lock.unlock();
    }
  }

  private boolean sessionKnown(String sessionId) {
    lock.lock();
    try {
      return sessions.containsKey(sessionId);
    } finally {
      lock.unlock();
    }
  }

  @GuardedBy("lock")
  private TaskOutcome collect(Entry entry, TaskResult result, String workerName) {
    Task task = entry.task;
    open.remove(task.id());
    collected.set((int) task.id());
    if (entry.holder != null) {
      Session holder = sessions.get(entry.holder);
      if (holder != null) {
        holder.held.remove(task.id());
      }
    } else if (!backingOff.remove(entry)) {
      pending.remove(entry); // a re-queued task finished late by its old holder; rare
    }
    if (result.isOk()) {
      succeeded++;
    } else {
      failed++;
    }
    return new TaskOutcome(
        task.id(),
        task.kind(),
        task.input(),
        result.isOk(),
        result.value(),
        result.error(),
        workerName,
        Math.max(entry.attempts, 1),
        result.millis(),
        result.details());
  }

  @GuardedBy("lock")
  private void releaseAll(Session session, boolean refundAttempt) {
    List<Long> held = new ArrayList<>(session.held);
    // Push in reverse so the tasks keep their order at the front of the queue.
    for (int i = held.size() - 1; i >= 0; i--) {
      Entry entry = open.get(held.get(i));
      if (entry != null) {
        if (refundAttempt) {
          entry.attempts--;
        }
        release(entry, true);
      }
    }
    session.held.clear();
  }

  @GuardedBy("lock")
  private void release(Entry entry, boolean front) {
    Session holder = entry.holder == null ? null : sessions.get(entry.holder);
    if (holder != null) {
      holder.held.remove(entry.task.id());
    }
    entry.holder = null;
    if (front) {
      pending.addFirst(entry);
    } else {
      pending.addLast(entry);
    }
    available.signalAll();
  }

  /** Holds a failed task back for a while before it may be taken again. */
  @GuardedBy("lock")
  private void backOff(Entry entry) {
    Session holder = sessions.get(entry.holder);
    if (holder != null) {
      holder.held.remove(entry.task.id());
    }
    entry.holder = null;
    int doublings = Math.min(entry.attempts - 1, 16);
    long delay = Math.min(retryBackoffNanos << doublings, MAX_BACKOFF_NANOS);
    entry.retryAt = ticker.read() + delay;
    backingOff.add(entry);
    available.signalAll(); // a waiting take recomputes how long to sleep
  }

  @GuardedBy("lock")
  private void promoteDueRetries() {
    long now = ticker.read();
    while (!backingOff.isEmpty() && backingOff.peek().retryAt <= now) {
      pending.addLast(backingOff.poll());
    }
  }

  private void emit(List<TaskOutcome> outcomes) {
    if (!outcomes.isEmpty()) {
      sink.accept(outcomes);
    }
  }

  /** What a report did. */
  record Report(int accepted, int duplicates, boolean sessionKnown) {}

  /** Queue counts at one moment. */
  record Stats(
      long submitted,
      long pending,
      long leased,
      long succeeded,
      long failed,
      long duplicates,
      int sessions,
      long expiredSessions) {
    long collected() {
      return succeeded + failed;
    }
  }

  /** A task not yet collected. */
  static final class Entry {
    final Task task;

    /** How many times the task was handed out. */
    int attempts;

    /** The session holding its lease, or null while it is pending or backing off. */
    String holder;

    /** When a failed task may be handed out again (ticker time). */
    long retryAt;

    Entry(Task task) {
      this.task = task;
    }
  }

  /** A worker session's leases. */
  private static final class Session {
    final String workerName;

    /** The kinds the worker runs, or null for any. */
    final Set<String> kinds;

    long renewedAt;

    /** Ids of the tasks leased to this session, in the order taken. */
    final Set<Long> held = new LinkedHashSet<>();

    Session(String workerName, long renewedAt, Set<String> kinds) {
      this.workerName = workerName;
      this.kinds = kinds;
      this.renewedAt = renewedAt;
    }
  }
}
