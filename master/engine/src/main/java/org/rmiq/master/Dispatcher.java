package org.rmiq.master;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.rmiq.internal.util.Durations;
import org.rmiq.internal.wire.ExchangeReply;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.LinkReply;
import org.rmiq.internal.wire.MasterPhase;
import org.rmiq.internal.wire.Slot;
import org.rmiq.internal.wire.SlotTasks;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.internal.wire.UnknownLinkException;

/**
 * The master's jobs, tasks and workers and the delivery rules between them, in plain Java (no RMI),
 * timed by a {@link Ticker} so the rules are tested without sleeping.
 *
 * <p>Policy. Tasks are handed out in submission order, to sessions that run their kind, at most as
 * many to a session as it can justify: twice its threads plus twice what it delivered in the last
 * second (a worker that hoards and delivers nothing holds two tasks per thread). A worker JVM's
 * exchange renews every lease of its link; a link silent for longer than the lease is dropped and
 * its tasks go back to the front of the queue, the attempt counted. A task whose attempt runs past
 * the job's task timeout is handed to another worker as well; the first result wins. A result
 * counts only from a session that was handed the task (a forged one is refused and counted); the
 * first counting result is collected, later ones are discarded. A retryable failure is re-queued
 * until the task was handed out {@code maxAttempts} times, after a back-off that doubles each time;
 * then, or at once for a non-retryable failure, the task is collected as failed.
 *
 * <p>Collected outcomes go to the {@link Sink} outside the lock but before the call that collected
 * them returns, so a sink that journals them makes them durable before the worker is answered; if
 * the sink fails, the call fails (the worker keeps its results) and no more results are accepted.
 */
final class Dispatcher {
  private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(30).toNanos();
  private static final long QUARTER = TimeUnit.MILLISECONDS.toNanos(250);

  /** Where collected outcomes go, and what the journal keeps besides. */
  interface Sink {
    /** Makes outcomes durable (journal) and counts them; throws to refuse them. */
    void collected(List<TaskOutcome> outcomes) throws IOException;

    /** Tasks that went back to the queue after {@code attempts} hand-outs. */
    void requeued(Map<Long, Integer> attempts);

    /** A job finished or was cancelled. */
    void ended(Job job);

    /** Keeps nothing: for a dispatcher measured or tested on its own. */
    Sink DISCARD =
        new Sink() {
          @Override
          public void collected(List<TaskOutcome> outcomes) {}

          @Override
          public void requeued(Map<Long, Integer> attempts) {}

          @Override
          public void ended(Job job) {}
        };
  }

  private final Ticker ticker;
  private final long leaseNanos;
  private final long retryBackoffNanos;
  private final Sink sink;
  final ReentrantLock lock = new ReentrantLock();

  /** Links, sessions and worker rows. */
  @GuardedBy("lock")
  final Registry registry = new Registry();

  @GuardedBy("lock")
  private final PendingTasks pending = new PendingTasks(registry);

  /** Tasks waiting out a retry back-off, the soonest due first. */
  @GuardedBy("lock")
  private final PriorityQueue<TaskEntry> backingOff =
      new PriorityQueue<>(Comparator.comparingLong((TaskEntry e) -> e.retryAt));

  /** Every task handed out or waiting, not yet collected, by id. */
  @GuardedBy("lock")
  private final Map<Long, TaskEntry> open = new HashMap<>();

  /** Leases that run against a task timeout, the soonest deadline first. */
  @GuardedBy("lock")
  private final PriorityQueue<Deadline> deadlines =
      new PriorityQueue<>(Comparator.comparingLong(Deadline::at));

  /** Jobs by id, oldest first; read without the lock to deliver outcomes. */
  private final java.util.concurrent.ConcurrentSkipListMap<Long, Job> jobs =
      new java.util.concurrent.ConcurrentSkipListMap<>();

  /**
   * Jobs that ended since outcomes were last emitted, each once (a cancelled job whose last task
   * the cancel itself collected is seen finishing too).
   */
  @GuardedBy("lock")
  private final Set<Job> ended = new java.util.LinkedHashSet<>();

  /** Links waiting for tasks, longest-waiting first. */
  @GuardedBy("lock")
  private final java.util.LinkedHashSet<Registry.LinkRec> waiting = new java.util.LinkedHashSet<>();

  @GuardedBy("lock")
  private long nextTaskId = 1;

  @GuardedBy("lock")
  private long nextJobId = 1;

  @GuardedBy("lock")
  private MasterPhase phase = MasterPhase.RUNNING;

  @GuardedBy("lock")
  private long duplicates;

  @GuardedBy("lock")
  private long forged;

  @GuardedBy("lock")
  private long expiredLinks;

  @GuardedBy("lock")
  private boolean everJoined;

  /** Why results are refused now (the journal failed), or null. */
  private volatile String refusingResults;

  /** Offered code: its version, and the offers. */
  private volatile CodeStore code = CodeStore.EMPTY;

  /** A lease that runs against a task timeout. */
  private record Deadline(long at, TaskEntry entry, int attempt) {}

  /** The heap the jobs' tasks may take. */
  @GuardedBy("lock")
  private final TaskMemory memory;

  /** The ids of ended jobs still listed, oldest first (at most {@link #ENDED_JOBS_KEPT}). */
  @GuardedBy("lock")
  private final java.util.ArrayDeque<Long> endedIds = new java.util.ArrayDeque<>();

  /**
   * How many ended jobs stay listed (status page, the session's {@code jobs}): a lesson's worth,
   * while a library that submits task by task, each a job, does not grow without end.
   */
  static final int ENDED_JOBS_KEPT = 1000;

  Dispatcher(Ticker ticker, Duration lease, Duration retryBackoff, Sink sink) {
    this(ticker, lease, retryBackoff, sink, Runtime.getRuntime().maxMemory());
  }

  /** With the heap size the tasks' memory is planned against (tests give a small one). */
  Dispatcher(Ticker ticker, Duration lease, Duration retryBackoff, Sink sink, long heap) {
    this.ticker = ticker;
    this.leaseNanos = lease.toNanos();
    this.retryBackoffNanos = retryBackoff.toNanos();
    this.sink = sink;
    this.memory = new TaskMemory(heap);
  }

  // ---------------------------------------------------------------- jobs

  /**
   * Creates a job and gives its tasks their ids; it runs at once unless {@code queued} (then {@link
   * #start} runs it). The caller journals the tasks before {@link #release}.
   *
   * @throws IllegalArgumentException when its tasks would not fit the master's memory (see {@link
   *     TaskMemory}), saying so; nothing is created then
   */
  Job create(
      JobSpec spec,
      boolean queued,
      List<Task> tasksOut,
      java.util.concurrent.BlockingQueue<TaskOutcome> outcomes) {
    long now = ticker.read();
    long bytes = TaskMemory.estimate(spec.inputs());
    lock.lock();
    try {
      if (nextTaskId + spec.inputs().size() > Integer.MAX_VALUE) {
        throw new IllegalStateException("a master runs at most " + Integer.MAX_VALUE + " tasks");
      }
      memory.reserve(bytes, spec.inputs().size());
      Job job =
          new Job(
              nextJobId++,
              spec,
              this,
              queued ? Job.State.QUEUED : Job.State.RUNNING,
              now,
              outcomes);
      long timeout = spec.taskTimeout().toMillis();
      try {
        for (String input : spec.inputs()) {
          tasksOut.add(new Task(nextTaskId++, spec.kind(), input, spec.code(), timeout));
        }
      } catch (RuntimeException badInput) { // e.g. an input over the size limit: no job, no room
        memory.release(bytes);
        throw badInput;
      }
      job.submitted = tasksOut.size();
      job.workersJoined = !registry.sessions.isEmpty();
      job.memoryBytes = bytes;
      jobs.put(job.id(), job);
      return job;
    } finally {
      lock.unlock();
    }
  }

  /** Makes a created (or restored) job's tasks known; a running job's are handed out. */
  void release(Job job, List<Task> tasks) {
    job.expect(tasks.size());
    lock.lock();
    try {
      for (Task task : tasks) {
        TaskEntry entry = new TaskEntry(task, job);
        open.put(task.id(), entry);
        nextTaskId = Math.max(nextTaskId, task.id() + 1);
        if (job.state == Job.State.RUNNING) {
          pending.addLast(entry);
        }
      }
      job.pending = tasks.size();
      if (job.state == Job.State.RUNNING) {
        wakeWaiters();
      }
      finishIfDone(job);
    } finally {
      lock.unlock();
    }
    emitQuietly(List.of()); // a job without tasks has ended already
  }

  /** Recreates a job from the journal, with the outcomes it already has. */
  Job restore(
      long id,
      JobSpec spec,
      List<Task> pendingTasks,
      List<TaskOutcome> collected,
      Job.State state,
      java.util.concurrent.BlockingQueue<TaskOutcome> outcomes) {
    lock.lock();
    try {
      Job job = new Job(id, spec, this, state, ticker.read(), outcomes);
      if (state != Job.State.FINISHED && state != Job.State.CANCELLED) {
        job.memoryBytes = (long) pendingTasks.size() * TaskMemory.BYTES_PER_TASK;
        memory.add(job.memoryBytes); // whether it fits or not: a journal's tasks come back
      }
      nextJobId = Math.max(nextJobId, id + 1);
      job.submitted = (long) pendingTasks.size() + collected.size();
      for (TaskOutcome o : collected) {
        nextTaskId = Math.max(nextTaskId, o.id() + 1);
        if (o.ok()) {
          job.succeeded++;
        } else {
          job.failed++;
        }
      }
      jobs.put(id, job);
      return job;
    } finally {
      lock.unlock();
    }
  }

  void start(Job job) {
    lock.lock();
    try {
      if (job.state != Job.State.QUEUED) {
        return;
      }
      job.state = Job.State.RUNNING;
      job.startedAt = ticker.read();
      job.workersJoined = !registry.sessions.isEmpty();
      for (TaskEntry entry : open.values()) {
        if (entry.job == job) {
          pending.addLast(entry);
        }
      }
      wakeWaiters();
      finishIfDone(job);
    } finally {
      lock.unlock();
    }
    emitQuietly(List.of());
  }

  /** Withdraws every task of {@code job} not yet collected, as failed with {@code reason}. */
  void cancel(Job job, String reason) {
    List<TaskOutcome> outcomes = new ArrayList<>();
    lock.lock();
    try {
      if (job.state == Job.State.FINISHED || job.state == Job.State.CANCELLED) {
        return;
      }
      job.cancelReason = reason;
      List<TaskEntry> theirs = new ArrayList<>();
      for (TaskEntry entry : open.values()) {
        if (entry.job == job) {
          theirs.add(entry);
        }
      }
      theirs.sort(Comparator.comparingLong(TaskEntry::id));
      for (TaskEntry entry : theirs) {
        for (Registry.SessionRec holder : entry.current) {
          holder.link.withdrawn.add(entry.id());
        }
        outcomes.add(
            collect(entry, TaskResult.failed(entry.id(), "cancelled: " + reason, false, 0), null));
      }
      job.state = Job.State.CANCELLED;
      job.lastCollectedAt = ticker.read();
      ended.add(job);
    } finally {
      lock.unlock();
    }
    emitQuietly(outcomes);
  }

  JobProgress progressOf(Job job) {
    long now = ticker.read();
    lock.lock();
    try {
      long first = job.firstTakenAt;
      long end = job.isDoneLocked() ? job.lastCollectedAt : now;
      Duration work = first < 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, end - first));
      Duration waited =
          Duration.ofNanos(
              Math.max(
                  0,
                  (first < 0 ? (job.isDoneLocked() ? job.lastCollectedAt : now) : first)
                      - job.startedAt));
      return new JobProgress(
          job.submitted,
          job.succeeded,
          job.failed,
          job.pending,
          job.leased,
          registry.sessions.size(),
          job.workersJoined || !registry.sessions.isEmpty(),
          work,
          waited);
    } finally {
      lock.unlock();
    }
  }

  Job.State stateOf(Job job) {
    lock.lock();
    try {
      return job.state;
    } finally {
      lock.unlock();
    }
  }

  List<Job> jobs() {
    return List.copyOf(jobs.values());
  }

  // ---------------------------------------------------------------- links and sessions

  LinkReply openLink(
      String host,
      InetAddress address,
      boolean acceptsCode,
      boolean collect,
      List<String> servedHosts,
      long heartbeatMillis)
      throws Registry.Full {
    lock.lock();
    try {
      Registry.LinkRec link =
          registry.openLink(host, address, acceptsCode, lock.newCondition(), ticker.read());
      return new LinkReply(
          link.id,
          registry.instance,
          heartbeatMillis,
          TimeUnit.NANOSECONDS.toMillis(leaseNanos),
          collect,
          servedHosts);
    } finally {
      lock.unlock();
    }
  }

  Registry.SessionRec openSession(String linkId, String name, int threads, List<String> kinds)
      throws UnknownLinkException, Registry.Full {
    lock.lock();
    try {
      Registry.LinkRec link = liveLink(linkId);
      Registry.SessionRec session =
          registry.openSession(link, name, threads, Set.copyOf(kinds), ticker.read());
      everJoined = true;
      for (Job job : jobs.values()) {
        if (job.state == Job.State.RUNNING) {
          job.workersJoined = true;
        }
      }
      return session;
    } finally {
      lock.unlock();
    }
  }

  /** Ends sessions (and the link): the tasks they hold go back to the front, attempts refunded. */
  void leave(String linkId, List<String> sessionIds, boolean closeLink) {
    lock.lock();
    try {
      Registry.LinkRec link = registry.links.get(linkId);
      if (link == null) {
        return;
      }
      for (String id : sessionIds) {
        Registry.SessionRec session = link.sessions.get(id);
        if (session != null) {
          release(session, true);
          registry.closeSession(session);
        }
      }
      if (closeLink) {
        for (Registry.SessionRec session : List.copyOf(link.sessions.values())) {
          release(session, true);
        }
        registry.closeLink(link);
        waiting.remove(link);
        link.wake.signalAll(); // its exchange, if one waits, returns now
      }
      wakeWaiters();
    } finally {
      lock.unlock();
    }
  }

  /** The link, or why there is none. */
  @GuardedBy("lock")
  private Registry.LinkRec liveLink(String linkId) throws UnknownLinkException {
    Registry.LinkRec link = registry.links.get(linkId);
    if (link == null) {
      throw new UnknownLinkException();
    }
    return link;
  }

  // ---------------------------------------------------------------- the exchange

  /** What an exchange collected, before its hand-out. */
  record Collected(
      List<TaskOutcome> outcomes, long forged, String forgedBy, long late, String lateBy) {}

  /**
   * Collects an exchange's results (the first half of an exchange): fenced to the sessions that
   * were handed each task.
   */
  Collected collectFrom(ExchangeRequest request) throws UnknownLinkException {
    if (refusingResults != null && request.slots().stream().anyMatch(s -> !s.results().isEmpty())) {
      throw new IllegalStateException(refusingResults);
    }
    List<TaskOutcome> outcomes = new ArrayList<>();
    long refused = 0;
    String forgedBy = null;
    long late = 0;
    String lateBy = null;
    lock.lock();
    try {
      long now = ticker.read();
      Registry.LinkRec link = liveLink(request.linkId());
      link.renewedAt = now;
      for (Slot slot : request.slots()) {
        Registry.SessionRec live = link.sessions.get(slot.sessionId());
        if (live != null) {
          live.row.lastSeen = now;
          if (slot.kinds() != null) {
            live.kinds = Set.copyOf(slot.kinds());
            registry.sessionsChanged();
          }
          if (slot.code() != null) {
            live.code = Set.copyOf(slot.code());
          }
        }
        boolean otherLinks = live == null && registry.sessions.containsKey(slot.sessionId());
        int dupes = 0;
        for (TaskResult result : slot.results()) {
          TaskEntry entry = open.get(result.taskId());
          if (entry == null) {
            dupes++;
          } else if (otherLinks || !entry.heldBy(slot.sessionId())) {
            refused++;
            forgedBy =
                (live != null ? live.row.name : "a session it never joined")
                    + " ("
                    + link.address.getHostAddress()
                    + ")";
          } else {
            TaskOutcome outcome = complete(entry, result, entry.holder(slot.sessionId()), now);
            if (outcome != null) {
              outcomes.add(outcome);
            }
          }
        }
        duplicates += dupes;
        if (dupes > 0) {
          late += dupes;
          String retired = registry.retiredName(slot.sessionId());
          lateBy = live != null ? live.row.name : retired != null ? retired : "a worker that left";
        }
        if (live != null) {
          countDelivered(live, slot.results().size() - dupes, now);
        }
      }
      forged += refused;
    } finally {
      lock.unlock();
    }
    emit(outcomes);
    return new Collected(outcomes, refused, forgedBy, late, lateBy);
  }

  /**
   * Hands out tasks to the link's sessions that have room (the second half of an exchange), waiting
   * up to the request's wait when none is ready.
   */
  ExchangeReply handOut(
      ExchangeRequest request, long codeVersion, List<org.rmiq.internal.wire.CodeOffer> offers)
      throws UnknownLinkException, InterruptedException {
    lock.lock();
    try {
      Registry.LinkRec link = liveLink(request.linkId());
      Map<Registry.SessionRec, Integer> room = new HashMap<>();
      List<String> unknown = new ArrayList<>();
      for (Slot slot : request.slots()) {
        Registry.SessionRec live = link.sessions.get(slot.sessionId());
        if (live == null) {
          unknown.add(slot.sessionId());
        } else if (slot.room() > 0) {
          room.put(live, slot.room());
        }
      }
      long deadline = ticker.read() + TimeUnit.MILLISECONDS.toNanos(request.waitMillis());
      Map<String, List<Task>> given;
      while (true) {
        promoteDueRetries();
        given = lease(link, room);
        long left = deadline - ticker.read();
        if (!given.isEmpty()
            || room.isEmpty()
            || left <= 0
            || phase == MasterPhase.FINISHED
            || !link.withdrawn.isEmpty()
            || registry.links.get(link.id) != link) {
          break;
        }
        waiting.add(link);
        link.waiting = true;
        try {
          link.wake.awaitNanos(Math.min(left, untilNextRetry(left)));
        } finally {
          link.waiting = false;
          waiting.remove(link);
        }
      }
      List<SlotTasks> tasks = new ArrayList<>();
      given.forEach((session, list) -> tasks.add(new SlotTasks(session, list)));
      List<Long> withdrawn = List.copyOf(link.withdrawn);
      link.withdrawn.clear();
      if (phase == MasterPhase.FINISHED) {
        link.sawFinished = true;
      }
      return new ExchangeReply(
          phase,
          tasks,
          unknown,
          withdrawn,
          codeVersion,
          request.codeVersion() == codeVersion ? null : offers);
    } finally {
      lock.unlock();
    }
  }

  /** Leases tasks to sessions with room, one each in turn so they share what is there. */
  @GuardedBy("lock")
  private Map<String, List<Task>> lease(
      Registry.LinkRec link, Map<Registry.SessionRec, Integer> room) {
    Map<String, List<Task>> given = new HashMap<>();
    if (room.isEmpty() || pending.size() == 0 || phase == MasterPhase.FINISHED) {
      return given;
    }
    long now = ticker.read();
    List<Registry.SessionRec> sessions = new ArrayList<>(room.keySet());
    // a session may have left while its link's exchange waited
    sessions.removeIf(s -> link.sessions.get(s.id) != s);
    sessions.sort(Comparator.comparing(s -> s.id));
    Map<Registry.SessionRec, Integer> left = new HashMap<>();
    for (Registry.SessionRec s : sessions) {
      left.put(s, Math.min(room.get(s), Math.max(0, cap(s, now) - s.held.size())));
    }
    boolean progress = true;
    int start = link.nextSession++;
    int total = 0; // one reply carries at most MAX_TASKS, however many sessions ask
    while (progress && total < ExchangeRequest.MAX_TASKS) {
      progress = false;
      for (int i = 0; i < sessions.size(); i++) {
        Registry.SessionRec s = sessions.get((start + i) % sessions.size());
        int n = left.get(s);
        // Hand out in bursts per session (tiny tasks come thousands to a call), a burst
        // being what is left divided among the sessions still asking.
        int burst = Math.max(1, n / Math.max(1, sessions.size()));
        for (int k = 0; k < burst && n > 0 && total < ExchangeRequest.MAX_TASKS; k++) {
          TaskEntry entry = pending.poll(s);
          if (entry == null) {
            break;
          }
          given.computeIfAbsent(s.id, id -> new ArrayList<>()).add(leaseTo(entry, s, now));
          n--;
          total++;
          progress = true;
        }
        left.put(s, n);
      }
    }
    return given;
  }

  /** The most tasks a session may hold: twice its threads, plus twice its last second's work. */
  @GuardedBy("lock")
  private int cap(Registry.SessionRec s, long now) {
    roll(s, now);
    long delivered = s.recent[0] + s.recent[1] + s.recent[2] + s.recent[3];
    return (int) Math.min(ExchangeRequest.MAX_TASKS, 2L * s.threads + 2 * delivered);
  }

  @GuardedBy("lock")
  private void countDelivered(Registry.SessionRec s, int n, long now) {
    roll(s, now);
    s.recent[(int) (s.recentQuarter & 3)] += Math.max(0, n);
  }

  /** Moves a session's delivery counts on to the current quarter-second. */
  private static void roll(Registry.SessionRec s, long now) {
    long quarter = now / QUARTER;
    long behind = quarter - s.recentQuarter;
    if (behind <= 0) {
      return;
    }
    for (long q = 1; q <= Math.min(behind, 4); q++) {
      s.recent[(int) ((s.recentQuarter + q) & 3)] = 0;
    }
    s.recentQuarter = quarter;
  }

  @GuardedBy("lock")
  private Task leaseTo(TaskEntry entry, Registry.SessionRec session, long now) {
    entry.attempts++;
    if (!entry.holders.contains(session)) {
      entry.holders.add(session);
    }
    if (entry.current.isEmpty()) {
      entry.job.pending--;
      entry.job.leased++;
    }
    entry.current.add(session);
    session.held.add(entry);
    entry.leasedAt = now;
    if (entry.job.firstTakenAt < 0) {
      entry.job.firstTakenAt = now;
    }
    long timeout = entry.task.timeoutMillis();
    if (timeout > 0) {
      long slack =
          Math.max(TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(timeout) / 10);
      entry.deadline = now + TimeUnit.MILLISECONDS.toNanos(timeout) + slack;
      deadlines.add(new Deadline(entry.deadline, entry, entry.attempts));
    }
    if (entry.replicas() > 1 && !entry.pending && entry.replicasUnderWay() < entry.replicas()) {
      pending.addLast(entry); // the next replica, for a worker in another JVM
    }
    return entry.task;
  }

  /**
   * Applies one counting result to its task; returns the outcome when the task is collected, null
   * when a retryable failure sends it back.
   */
  @GuardedBy("lock")
  private TaskOutcome complete(
      TaskEntry entry, TaskResult result, Registry.SessionRec by, long now) {
    by.held.remove(entry);
    if (!result.isOk() && result.retryable() && entry.attempts < entry.job.spec().handOutLimit()) {
      boolean current = entry.current.remove(by);
      if (current && entry.current.isEmpty()) {
        if (entry.pending) {
          // a replicated task already waiting for its next worker: it simply waits on
          entry.job.leased--;
          entry.job.pending++;
        } else {
          backOff(entry, now); // a stale holder's failure, or one with another holder, does not
        }
      }
      return null;
    }
    if (entry.replicas() > 1 && result.isOk()) {
      return replicaAnswered(entry, result, by);
    }
    // collect() counts it as leased while anyone (the sender included) still holds it
    return collect(entry, result, by);
  }

  /**
   * Records one worker's value for a task of a job with replicas; collects the task once every
   * replica answered: with the value if all agree, as a final failure naming each worker's answer
   * if not. Returns the outcome, or null while answers are missing.
   */
  @GuardedBy("lock")
  private TaskOutcome replicaAnswered(TaskEntry entry, TaskResult result, Registry.SessionRec by) {
    boolean again = entry.answeredBy(by.link); // a late second answer from the same worker JVM
    if (!again) {
      if (entry.answers == null) {
        entry.answers = new ArrayList<>(entry.replicas());
      }
      entry.answers.add(new TaskEntry.Answer(by, result));
      if (entry.answers.size() >= entry.replicas()) {
        return collect(entry, agreed(entry, result), by);
      }
      by.row.done++; // credited now: only the last replica's worker is credited by collect()
      by.row.busyMillis += result.millis();
      entry.job.shares.merge(by.row.name, 1L, Long::sum);
    }
    if (entry.current.remove(by) && entry.current.isEmpty()) {
      entry.job.leased--;
      entry.job.pending++;
      if (!entry.pending) {
        pending.addFirst(entry);
      }
      wakeWaiters();
    }
    return null;
  }

  /** The result of a task whose replicas all answered: the last one's if all values agree. */
  private static TaskResult agreed(TaskEntry entry, TaskResult last) {
    String value = entry.answers.get(0).result().value();
    boolean same = entry.answers.stream().allMatch(a -> a.result().value().equals(value));
    if (same) {
      return last;
    }
    StringBuilder error = new StringBuilder("the replicas disagree:");
    for (TaskEntry.Answer a : entry.answers) {
      String answer = a.result().value();
      error
          .append(' ')
          .append(a.by().row.name)
          .append(" answered '")
          .append(answer.length() > 200 ? answer.substring(0, 200) + "…" : answer)
          .append("';");
    }
    error.setLength(error.length() - 1);
    return TaskResult.failed(entry.id(), error.toString(), false, last.millis());
  }

  /** Collects a task: out of every queue, counted, attributed. Returns its outcome. */
  @GuardedBy("lock")
  private TaskOutcome collect(TaskEntry entry, TaskResult result, Registry.SessionRec by) {
    open.remove(entry.id());
    if (entry.pending) {
      pending.remove(entry);
    }
    if (entry.backingOff) {
      backingOff.remove(entry);
      entry.backingOff = false;
    }
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
    if (result.isOk()) {
      job.succeeded++;
    } else {
      job.failed++;
    }
    String worker = by == null ? "-" : by.row.name;
    if (by != null) {
      if (result.isOk()) {
        by.row.done++;
      } else {
        by.row.failed++;
      }
      by.row.busyMillis += result.millis();
      job.shares.merge(worker, 1L, Long::sum);
    }
    job.lastCollectedAt = ticker.read();
    finishIfDone(job);
    return new TaskOutcome(
        entry.id(),
        job.id(),
        entry.kind(),
        entry.task.input(),
        result.isOk(),
        result.value(),
        result.error(),
        worker,
        Math.max(entry.attempts, 1),
        result.millis(),
        result.details());
  }

  @GuardedBy("lock")
  private void finishIfDone(Job job) {
    if (job.state == Job.State.RUNNING && job.succeeded + job.failed == job.submitted) {
      job.state = Job.State.FINISHED;
      ended.add(job);
    }
  }

  /** Holds a failed task back for a while before it may be handed out again. */
  @GuardedBy("lock")
  private void backOff(TaskEntry entry, long now) {
    entry.job.leased--;
    entry.job.pending++;
    int doublings = Math.min(entry.attempts - 1, 16);
    entry.retryAt = now + Math.min(retryBackoffNanos << doublings, MAX_BACKOFF_NANOS);
    entry.backingOff = true;
    backingOff.add(entry);
    wakeWaiters(); // a waiting exchange recomputes how long to sleep
  }

  @GuardedBy("lock")
  private void promoteDueRetries() {
    long now = ticker.read();
    while (!backingOff.isEmpty() && backingOff.peek().retryAt <= now) {
      TaskEntry entry = backingOff.poll();
      entry.backingOff = false;
      if (!entry.pending) {
        pending.addLast(entry);
      }
    }
  }

  @GuardedBy("lock")
  private long untilNextRetry(long left) {
    return backingOff.isEmpty()
        ? left
        : Math.max(1_000_000, backingOff.peek().retryAt - ticker.read());
  }

  /** Wakes the waiting exchanges that could take a task now, longest-waiting first. */
  @GuardedBy("lock")
  private void wakeWaiters() {
    for (Registry.LinkRec link : waiting) {
      for (Registry.SessionRec s : link.sessions.values()) {
        if (pending.hasAnyFor(s) || !backingOff.isEmpty()) {
          link.wake.signal();
          break;
        }
      }
    }
  }

  // ---------------------------------------------------------------- release, expiry, deadlines

  /**
   * Takes a session's tasks away from it: each goes back to the front of the queue unless another
   * session holds it too ({@code refund}: the attempt did not happen).
   */
  @GuardedBy("lock")
  private void release(Registry.SessionRec session, boolean refund) {
    List<TaskEntry> held = new ArrayList<>(session.held);
    session.held.clear();
    Map<Long, Integer> attempts = new HashMap<>();
    for (int i = held.size() - 1; i >= 0; i--) { // in reverse: they keep their order in front
      TaskEntry entry = held.get(i);
      entry.current.remove(session);
      if (!entry.current.isEmpty() || !open.containsKey(entry.id())) {
        continue;
      }
      if (refund) {
        entry.attempts = Math.max(0, entry.attempts - 1);
      }
      entry.job.leased--;
      entry.job.pending++;
      if (!entry.pending) {
        pending.addFirst(entry);
      }
      if (!refund) {
        attempts.put(entry.id(), entry.attempts);
      }
    }
    if (!attempts.isEmpty()) {
      sink.requeued(attempts);
    }
  }

  /** What housekeeping did, for the master's log. */
  record Swept(List<String> expiredWorkers, int overdue, List<TaskOutcome> failedOutright) {}

  /**
   * Drops links silent for longer than the lease (their tasks go back, or fail when their attempts
   * are used up), and hands overdue tasks to other workers (or fails them). Called periodically.
   */
  Swept sweep() {
    List<String> expired = new ArrayList<>();
    List<TaskOutcome> outcomes = new ArrayList<>();
    int overdue = 0;
    lock.lock();
    try {
      long now = ticker.read();
      for (Registry.LinkRec link : registry.silentSince(now, leaseNanos)) {
        expiredLinks++;
        for (Registry.SessionRec session : List.copyOf(link.sessions.values())) {
          expired.add(session.row.name);
          for (TaskEntry entry : List.copyOf(session.held)) {
            if (entry.current.size() == 1 && entry.attempts >= entry.job.spec().handOutLimit()) {
              outcomes.add(
                  collect(
                      entry,
                      TaskResult.failed(
                          entry.id(),
                          "lease expired on each of "
                              + entry.attempts
                              + " attempts (last: "
                              + session.row.name
                              + " stopped answering)",
                          false,
                          0),
                      null));
            }
          }
          release(session, false);
        }
        registry.closeLink(link);
        waiting.remove(link);
      }
      while (!deadlines.isEmpty() && deadlines.peek().at() <= now) {
        Deadline d = deadlines.poll();
        TaskEntry entry = d.entry();
        if (!open.containsKey(entry.id())
            || entry.attempts != d.attempt()
            || entry.current.isEmpty()) {
          continue; // collected, re-issued or released since
        }
        overdue++;
        if (entry.attempts >= entry.job.spec().handOutLimit()) {
          for (Registry.SessionRec holder : entry.current) {
            holder.link.withdrawn.add(entry.id());
          }
          outcomes.add(
              collect(
                  entry,
                  TaskResult.failed(
                      entry.id(),
                      "ran past the task timeout of "
                          + Durations.format(Duration.ofMillis(entry.task.timeoutMillis()))
                          + " on each of "
                          + entry.attempts
                          + " attempts (last on "
                          + entry.current.first().row.name
                          + ")",
                      false,
                      0),
                  null));
        } else if (!entry.pending) {
          pending.addFirst(entry); // another worker may take it; the first result wins
        }
      }
      promoteDueRetries();
      if (overdue > 0 || !expired.isEmpty() || pending.size() > 0) {
        wakeWaiters();
      }
    } finally {
      lock.unlock();
    }
    emitQuietly(outcomes);
    return new Swept(expired, overdue, outcomes);
  }

  // ---------------------------------------------------------------- phase, counts, status

  void finish() {
    lock.lock();
    try {
      phase = MasterPhase.FINISHED;
      for (Registry.LinkRec link : waiting) {
        link.wake.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  MasterPhase phase() {
    lock.lock();
    try {
      return phase;
    } finally {
      lock.unlock();
    }
  }

  /** True when every live link has heard the master finished (or there is none). */
  boolean linksHeardFinished() {
    lock.lock();
    try {
      return registry.links.values().stream().allMatch(l -> l.sawFinished);
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@code sessionId} on {@code linkId} holds task {@code taskId} now. */
  boolean holds(String linkId, String sessionId, long taskId) {
    lock.lock();
    try {
      Registry.LinkRec link = registry.links.get(linkId);
      Registry.SessionRec session = link == null ? null : link.sessions.get(sessionId);
      TaskEntry entry = open.get(taskId);
      return session != null && entry != null && entry.current.contains(session);
    } finally {
      lock.unlock();
    }
  }

  /** Whether an exchange of the link waits for tasks now. */
  boolean isWaiting(String linkId) {
    lock.lock();
    try {
      Registry.LinkRec link = registry.links.get(linkId);
      return link != null && link.waiting;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the link exists now. */
  boolean isLive(String linkId) {
    lock.lock();
    try {
      return registry.links.containsKey(linkId);
    } finally {
      lock.unlock();
    }
  }

  /** From now on results are refused with {@code why} (the journal cannot record them). */
  void refuseResults(String why) {
    refusingResults = why;
  }

  void offer(CodeStore store) {
    this.code = store;
    lock.lock();
    try {
      wakeWaiters();
    } finally {
      lock.unlock();
    }
  }

  CodeStore code() {
    return code;
  }

  /** Counts at one moment. */
  record Stats(
      long submitted,
      long pending,
      long leased,
      long succeeded,
      long failed,
      long duplicates,
      long forged,
      int sessions,
      long expiredLinks,
      boolean everJoined) {}

  Stats stats() {
    lock.lock();
    try {
      promoteDueRetries();
      long submitted = 0;
      long pendingTasks = 0;
      long leased = 0;
      long succeeded = 0;
      long failed = 0;
      for (Job job : jobs.values()) {
        submitted += job.submitted;
        pendingTasks += job.pending;
        leased += job.leased;
        succeeded += job.succeeded;
        failed += job.failed;
      }
      return new Stats(
          submitted,
          pendingTasks,
          leased,
          succeeded,
          failed,
          duplicates,
          forged,
          registry.sessions.size(),
          expiredLinks,
          everJoined);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Kinds with waiting tasks that no live session can run, with how many wait, so a job that cannot
   * progress says why; empty while no worker is connected.
   */
  Map<String, Integer> unservedKinds() {
    lock.lock();
    try {
      if (registry.sessions.isEmpty()) {
        return Map.of();
      }
      Map<String, Integer> unserved = new java.util.TreeMap<>();
      Map<String, Integer> waitingByKind = pending.countsByKind();
      waitingByKind.forEach(
          (kind, n) -> {
            TaskEntry head = pending.head(kind);
            boolean served = false;
            for (Registry.SessionRec s : registry.sessions.values()) {
              if (head != null
                  && (s.runs(head) || (head.task.code() != null && s.link.acceptsCode))) {
                served = true;
                break;
              }
            }
            if (!served) {
              unserved.put(kind, n);
            }
          });
      return unserved;
    } finally {
      lock.unlock();
    }
  }

  /** How many connected worker JVMs (links) have a session that runs {@code kind}. */
  /** How many computers (addresses) have a connected worker that runs {@code kind}. */
  int computersRunning(String kind) {
    lock.lock();
    try {
      return registry.computersRunning(kind).size();
    } finally {
      lock.unlock();
    }
  }

  int workerJvmsRunning(String kind) {
    lock.lock();
    try {
      java.util.Set<Registry.LinkRec> links = new java.util.HashSet<>();
      for (Registry.SessionRec s : registry.sessions.values()) {
        if (s.kinds.contains(kind)) {
          links.add(s.link);
        }
      }
      return links.size();
    } finally {
      lock.unlock();
    }
  }

  /** Whether waiting tasks of {@code kind} come with shipped code (so accepting code helps). */
  boolean isShipped(String kind) {
    lock.lock();
    try {
      TaskEntry head = pending.head(kind);
      return head != null && head.task.code() != null;
    } finally {
      lock.unlock();
    }
  }

  /** Connected workers that do not accept code, by name. */
  List<String> workersRefusingCode() {
    lock.lock();
    try {
      Set<String> names = new java.util.TreeSet<>();
      for (Registry.SessionRec s : registry.sessions.values()) {
        if (!s.link.acceptsCode) {
          names.add(s.row.name);
        }
      }
      return List.copyOf(names);
    } finally {
      lock.unlock();
    }
  }

  /** The kinds the live sessions run, together. */
  Set<String> servedKinds() {
    lock.lock();
    try {
      return registry.servedKinds();
    } finally {
      lock.unlock();
    }
  }

  /** Every worker's row, connected ones first, then by tasks done. */
  List<WorkerSummary> workers() {
    lock.lock();
    try {
      List<WorkerSummary> list = new ArrayList<>();
      for (Registry.WorkerRow row : registry.rows.values()) {
        list.add(
            new WorkerSummary(
                row.name,
                row.host,
                row.threads,
                row.liveSessions > 0,
                row.done,
                row.failed,
                row.busyMillis,
                row.lastSeen,
                row.acceptsCode));
      }
      list.sort(
          Comparator.comparing((WorkerSummary w) -> !w.connected())
              .thenComparing(Comparator.comparingLong(WorkerSummary::tasks).reversed())
              .thenComparing(WorkerSummary::name));
      return list;
    } finally {
      lock.unlock();
    }
  }

  /** A job's tasks per worker, the most first. */
  Map<String, Long> sharesOf(Job job) {
    lock.lock();
    try {
      return new java.util.LinkedHashMap<>(job.shares);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- emitting

  /**
   * Hands outcomes to the sink (the journal first), then to their jobs; then says which jobs ended.
   * Runs outside the lock, on the thread that collected them.
   */
  private void emit(List<TaskOutcome> outcomes) {
    if (!outcomes.isEmpty()) {
      try {
        sink.collected(outcomes);
      } catch (IOException e) {
        refuseResults("the master cannot record results: " + e.getMessage());
        throw new IllegalStateException(refusingResults, e);
      }
      for (TaskOutcome outcome : outcomes) {
        Job job = jobs.get(outcome.jobId());
        if (job != null) { // always, but for a job that ended a thousand jobs ago
          job.add(outcome);
        }
      }
    }
    List<Job> done;
    lock.lock();
    try {
      if (ended.isEmpty()) {
        return;
      }
      done = List.copyOf(ended);
      ended.clear();
      for (Job job : done) {
        memory.release(job.memoryBytes);
        endedIds.add(job.id());
      }
      while (endedIds.size() > ENDED_JOBS_KEPT) {
        jobs.remove(endedIds.poll());
      }
    } finally {
      lock.unlock();
    }
    for (Job job : done) {
      sink.ended(job);
      job.forgetInputs(); // its tasks are all collected: a session's later jobs need the room
      job.markEnded();
    }
  }

  /** Emits outcomes the master decided itself (expiries, cancels): nobody to refuse them to. */
  private void emitQuietly(List<TaskOutcome> outcomes) {
    try {
      emit(outcomes);
    } catch (IllegalStateException journalFailed) {
      // already refusing results; the master's owner was told through the sink
    }
  }

  /** The ids of the tasks not yet collected, for tests and the journal's checks. */
  Set<Long> openIds() {
    lock.lock();
    try {
      return new HashSet<>(open.keySet());
    } finally {
      lock.unlock();
    }
  }
}
