package org.rmiq.master;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.rmiq.internal.wire.CodeOffer;
import org.rmiq.internal.wire.ExchangeReply;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.LinkReply;
import org.rmiq.internal.wire.LinkRequest;
import org.rmiq.internal.wire.MasterPhase;
import org.rmiq.internal.wire.Slot;
import org.rmiq.internal.wire.SlotTasks;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.internal.wire.UnknownLinkException;
import org.rmiq.report.JobProgress;
import org.rmiq.report.TaskOutcome;

/**
 * The master's jobs, tasks and workers and the delivery rules between them, in plain Java (no RMI),
 * timed by a {@link Ticker} so the rules are tested without sleeping. It owns the one lock; the
 * rules it applies under that lock live in small policies: {@link JobBook} (jobs and their memory),
 * {@link LeasePolicy} (how many tasks a session may hold), {@link Replicas}, {@link RetryClock}
 * (back-offs and task timeouts), {@link Registry} (links and sessions) and {@link PendingTasks}.
 *
 * <p>Policy. Tasks are handed out in submission order, to sessions that run their kind, at most as
 * many to a session as {@link LeasePolicy} allows. A worker JVM's exchange renews every lease of
 * its link; a link silent for longer than the lease is dropped and its tasks go back to the front
 * of the queue, the attempt counted. A task whose attempt runs past the job's task timeout is
 * handed to another worker as well; the first result wins. A result counts only from a session that
 * was handed the task (a forged one is refused and counted); the first counting result is
 * collected, later ones are discarded. A retryable failure is re-queued until the task was handed
 * out {@code maxAttempts} times, after a back-off; then, or at once for a non-retryable failure,
 * the task is collected as failed. A cancelled job's tasks are collected as cancelled.
 *
 * <p>Collected outcomes go to the {@link OutcomeSink} outside the lock but before the call that
 * collected them returns, so a sink that journals them makes them durable before the worker is
 * answered; if the sink fails, the call fails (the worker keeps its results) and no more results
 * are accepted. Nothing is written under the lock.
 */
final class Dispatcher {
  private final Ticker ticker;
  private final long leaseNanos;
  private final OutcomeSink sink;
  final ReentrantLock lock = new ReentrantLock();

  /** Links, sessions and worker rows. */
  @GuardedBy("lock")
  final Registry registry = new Registry();

  /** Jobs: guarded by the lock, but for {@link JobBook#get} and {@link JobBook#all}. */
  private final JobBook book;

  /** Where every task not yet collected stands. */
  @GuardedBy("lock")
  private final TaskBoard board;

  /** Links waiting for tasks, longest-waiting first. */
  @GuardedBy("lock")
  private final LinkedHashSet<Registry.LinkRec> waiting = new LinkedHashSet<>();

  @GuardedBy("lock")
  private MasterPhase phase = MasterPhase.RUNNING;

  /** Results discarded as late or repeated, refused as forged; links dropped as silent. */
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

  Dispatcher(Ticker ticker, Duration lease, Duration retryBackoff, OutcomeSink sink) {
    this(ticker, lease, retryBackoff, sink, Runtime.getRuntime().maxMemory());
  }

  /** With the heap size the tasks' memory is planned against (tests give a small one). */
  Dispatcher(Ticker ticker, Duration lease, Duration retryBackoff, OutcomeSink sink, long heap) {
    this.ticker = ticker;
    this.leaseNanos = lease.toNanos();
    this.sink = sink;
    this.book = new JobBook(heap);
    this.board = new TaskBoard(ticker, registry, book, retryBackoff, this::wakeWaitersLocked);
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
      JobSpec spec, boolean queued, List<Task> tasksOut, BlockingQueue<TaskOutcome> outcomes) {
    lock.lock();
    try {
      Job job =
          book.create(
              spec,
              queued ? Job.State.QUEUED : Job.State.RUNNING,
              ticker.read(),
              this,
              outcomes,
              tasksOut);
      job.workersJoined = !registry.sessions.isEmpty();
      job.workersAtStart = job.workersJoined;
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
        board.add(task, job);
      }
      job.pending = tasks.size();
      if (job.state == Job.State.RUNNING) {
        wakeWaiters();
      }
      book.finishIfDone(job);
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
      BlockingQueue<TaskOutcome> outcomes) {
    lock.lock();
    try {
      return book.restore(
          id, spec, pendingTasks.size(), collected, state, ticker.read(), this, outcomes);
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
      job.workersAtStart = job.workersJoined;
      board.start(job);
      wakeWaiters();
      book.finishIfDone(job);
    } finally {
      lock.unlock();
    }
    emitQuietly(List.of());
  }

  /** Withdraws every task of {@code job} not yet collected, as cancelled with {@code reason}. */
  void cancel(Job job, String reason) {
    List<TaskOutcome> outcomes = new ArrayList<>();
    lock.lock();
    try {
      if (job.isDoneLocked()) {
        return;
      }
      job.cancelReason = reason;
      outcomes.addAll(board.cancel(job, reason));
      job.lastCollectedAt = ticker.read();
      book.cancelled(job);
    } finally {
      lock.unlock();
    }
    emitQuietly(outcomes);
  }

  JobProgress progressOf(Job job) {
    lock.lock();
    try {
      return job.progressAt(ticker.read(), registry.sessions.size());
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
    return book.all();
  }

  // ---------------------------------------------------------------- links and sessions

  /**
   * Opens a worker JVM's link, or keeps the one it had (named by its secret id) when its connection
   * broke while the link's lease still ran: its sessions and leases stay, so results of the tasks
   * it runs are not refused as another link's.
   *
   * @param fingerprint this master's teacher key (null when it has none): with the key the worker
   *     pinned ({@code request.codeFrom()}), it says whether the link runs this master's code
   */
  LinkReply openLink(
      LinkRequest request,
      InetAddress address,
      String fingerprint,
      boolean collect,
      List<String> servedHosts,
      long heartbeatMillis)
      throws Registry.Full {
    lock.lock();
    try {
      long now = ticker.read();
      Registry.LinkRec link = registry.links.get(request.previousLink());
      if (link != null && !request.previousLink().isEmpty()) {
        registry.moved(link, address, now);
      } else {
        boolean pinnedHere = request.codeFrom().isEmpty() || request.codeFrom().equals(fingerprint);
        link =
            registry.openLink(
                request.host(),
                address,
                request.acceptsCode() && pinnedHere,
                pinnedHere ? "" : request.codeFrom(),
                lock.newCondition(),
                now);
      }
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
      Registry.SessionRec session =
          registry.openSession(liveLink(linkId), name, threads, Set.copyOf(kinds), ticker.read());
      everJoined = true;
      for (Job job : book.all()) {
        if (job.state == Job.State.RUNNING) {
          job.workersJoined = true;
        }
      }
      return session;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks a worker's end on the timelines of the jobs it was part of. A silent worker ended when it
   * was last heard from, not when its lease ran out: a job that finished meanwhile (its tasks went
   * to others) still shows where its rows stopped.
   */
  @GuardedBy("lock")
  private void workerEnded(Registry.SessionRec session, boolean silent) {
    long at = silent ? session.link.renewedAt : ticker.read();
    for (Job job : book.all()) {
      if (job.state == Job.State.RUNNING
          || (job.lastCollectedAt >= at && job.timelineHas(session.row.name))) {
        job.timeline().workerEnded(session.row.name, at, silent);
      }
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
          board.release(session, true);
          registry.closeSession(session);
          workerEnded(session, false);
        }
      }
      if (closeLink) {
        for (Registry.SessionRec session : List.copyOf(link.sessions.values())) {
          board.release(session, true);
          workerEnded(session, false);
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
          told(live, slot, now);
        }
        boolean otherLinks = live == null && registry.sessions.containsKey(slot.sessionId());
        int dupes = 0;
        int accepted = 0;
        for (TaskResult result : slot.results()) {
          TaskEntry entry = board.get(result.taskId());
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
            if (!result.declined()) {
              accepted++; // a refusal is no delivered work
            }
            TaskOutcome outcome =
                board.complete(entry, result, entry.holder(slot.sessionId()), now);
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
          LeasePolicy.delivered(live, accepted, now); // what it claims or forges earns nothing
        }
      }
      forged += refused;
    } finally {
      lock.unlock();
    }
    emit(outcomes);
    return new Collected(outcomes, refused, forgedBy, late, lateBy);
  }

  /** What a live session's slot says of it besides results: it is alive, its kinds, its code. */
  @GuardedBy("lock")
  private void told(Registry.SessionRec live, Slot slot, long now) {
    live.row.lastSeen = now;
    if (slot.kinds() != null) {
      live.kinds = Set.copyOf(slot.kinds());
      registry.sessionsChanged();
    }
    if (slot.code() != null) {
      live.code = Set.copyOf(slot.code());
    }
  }

  /**
   * Hands out tasks to the link's sessions that have room (the second half of an exchange), waiting
   * up to the request's wait when none is ready.
   */
  ExchangeReply handOut(ExchangeRequest request, long codeVersion, List<CodeOffer> offers)
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
      Map<String, List<Task>> given = leaseWaiting(link, room, request.waitMillis());
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

  /** Leases what there is, waiting up to {@code waitMillis} (a long poll) while there is none. */
  @GuardedBy("lock")
  private Map<String, List<Task>> leaseWaiting(
      Registry.LinkRec link, Map<Registry.SessionRec, Integer> room, long waitMillis)
      throws InterruptedException {
    long deadline = ticker.read() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    while (true) {
      board.promoteDueRetries();
      Map<String, List<Task>> given =
          phase == MasterPhase.FINISHED ? Map.of() : board.lease(link, room);
      long now = ticker.read();
      long left = deadline - now;
      if (!given.isEmpty()
          || room.isEmpty()
          || left <= 0
          || phase == MasterPhase.FINISHED
          || !link.withdrawn.isEmpty()
          || registry.links.get(link.id) != link) {
        return given;
      }
      waiting.add(link);
      link.waiting = true;
      try {
        link.wake.awaitNanos(board.sleepFor(left, now));
      } finally {
        link.waiting = false;
        waiting.remove(link);
      }
    }
  }

  /** Wakes the waiting exchanges that could take a task now, longest-waiting first. */
  @GuardedBy("lock")
  private void wakeWaiters() {
    for (Registry.LinkRec link : waiting) {
      for (Registry.SessionRec s : link.sessions.values()) {
        if (board.anyFor(s)) {
          link.wake.signal();
          break;
        }
      }
    }
  }

  /** The board's way to wake waiters: it only ever calls this under the lock. */
  private void wakeWaitersLocked() {
    lock.lock(); // reentrant: held already
    try {
      wakeWaiters();
    } finally {
      lock.unlock();
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
    int overdue;
    lock.lock();
    try {
      long now = ticker.read();
      for (Registry.LinkRec link : registry.silentSince(now, leaseNanos)) {
        expiredLinks++;
        for (Registry.SessionRec session : List.copyOf(link.sessions.values())) {
          expired.add(session.row.name);
          board.expire(session, outcomes);
          workerEnded(session, true);
        }
        registry.closeLink(link);
        waiting.remove(link);
      }
      overdue = board.reissueOverdue(now, outcomes);
      board.failDeclinedNobodyRuns(outcomes);
      board.promoteDueRetries();
      if (overdue > 0 || !expired.isEmpty() || board.pending().size() > 0) {
        wakeWaiters();
      }
    } finally {
      lock.unlock();
    }
    emitQuietly(outcomes);
    return new Swept(expired, overdue, outcomes);
  }

  // ---------------------------------------------------------------- phase, code, queries

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
      return session != null && board.holds(session, taskId);
    } finally {
      lock.unlock();
    }
  }

  /** Whether the link exists now and, when {@code waiting}, an exchange of it waits for tasks. */
  boolean isLive(String linkId, boolean waiting) {
    lock.lock();
    try {
      Registry.LinkRec link = registry.links.get(linkId);
      return link != null && (!waiting || link.waiting);
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

  DispatcherSnapshot.Stats stats() {
    lock.lock();
    try {
      return statsLocked();
    } finally {
      lock.unlock();
    }
  }

  @GuardedBy("lock")
  private DispatcherSnapshot.Stats statsLocked() {
    board.promoteDueRetries();
    long[] t = book.totals();
    return new DispatcherSnapshot.Stats(
        t[0],
        t[1],
        t[2],
        t[3],
        t[4],
        t[5],
        duplicates,
        forged,
        registry.sessions.size(),
        expiredLinks,
        everJoined);
  }

  /** Everything a status read needs, in one acquisition of the lock. */
  DispatcherSnapshot snapshot() {
    lock.lock();
    try {
      long now = ticker.read();
      List<DispatcherSnapshot.JobView> views = new ArrayList<>();
      for (Job job : book.all()) {
        views.add(
            new DispatcherSnapshot.JobView(
                job,
                job.state,
                job.progressAt(now, registry.sessions.size()),
                new LinkedHashMap<>(job.shares)));
      }
      return DispatcherSnapshot.of(phase, statsLocked(), views, registry, board);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- emitting

  /**
   * Hands outcomes to the sink (the journal first), then to their jobs; then says which tasks went
   * back to the queue and which jobs ended. Runs outside the lock, on the thread that collected
   * them.
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
        Job job = book.get(outcome.jobId());
        if (job != null) { // always, but for a job that ended a thousand jobs ago
          job.add(outcome);
        }
      }
    }
    Map<Long, Integer> back;
    List<Job> done;
    lock.lock();
    try {
      back = board.takeRequeued();
      done = book.takeEnded();
    } finally {
      lock.unlock();
    }
    if (!back.isEmpty()) {
      sink.requeued(back);
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
}
