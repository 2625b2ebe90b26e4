package org.rmiq.master;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
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
import org.rmiq.internal.wire.SlotTasks;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.UnknownLinkException;
import org.rmiq.report.JobProgress;
import org.rmiq.report.TaskOutcome;

/**
 * The master's jobs, tasks and workers and the delivery rules between them, in plain Java (no RMI),
 * timed by a {@link Ticker} so the rules are tested without sleeping. It owns the one lock and
 * applies, under it, small policies: {@link JobBook} (jobs and their memory), {@link TaskBoard}
 * (where each task stands), {@link ResultFence} (which results count), {@link LeasePolicy} (how
 * many tasks a session may hold, backup copies), {@link Replicas}, {@link RetryClock} (back-offs
 * and task timeouts), {@link Registry} (links and sessions), {@link WaitingLinks} (long polls).
 *
 * <p>Tasks go out in submission order to sessions that run their kind. A worker JVM's exchange
 * renews every lease of its link; a link silent for longer than the lease is dropped and its tasks
 * go back to the front, the attempt counted. A retryable failure is re-queued after a back-off
 * until the task was handed out {@code maxAttempts} times; then, or at once for a non-retryable
 * one, the task is collected as failed. A cancelled job's tasks are collected as cancelled.
 *
 * <p>Nothing is written under the lock. {@link OutcomeEmitter} hands collected outcomes to the
 * {@link OutcomeSink} (the journal) after the lock is released but before the call that collected
 * them returns, so they are durable before the worker is answered; if the sink fails, the call
 * fails (the worker keeps its results) and no more results are accepted. {@link #sweep} likewise
 * returns what it requeued and failed, and the journal writes it after.
 */
final class Dispatcher {
  private final Ticker ticker;
  private final long leaseNanos;
  final ReentrantLock lock = new ReentrantLock();

  /** Links, sessions and worker rows. */
  @GuardedBy("lock")
  final Registry registry = new Registry();

  /** Jobs: guarded by the lock, but for {@link JobBook#get} and {@link JobBook#all}. */
  private final JobBook book;

  /** Where every task not yet collected stands. */
  @GuardedBy("lock")
  private final TaskBoard board;

  @GuardedBy("lock")
  private final WaitingLinks waiting = new WaitingLinks();

  @GuardedBy("lock")
  private final DispatcherSnapshot.Counts counts = new DispatcherSnapshot.Counts();

  @GuardedBy("lock")
  private MasterPhase phase = MasterPhase.RUNNING;

  private final OutcomeEmitter emitter;

  /** Offered code: its version, and the offers. */
  private volatile CodeStore code = CodeStore.EMPTY;

  Dispatcher(Ticker ticker, Duration lease, Duration retryBackoff, OutcomeSink sink) {
    this(ticker, lease, retryBackoff, sink, Runtime.getRuntime().maxMemory());
  }

  /** With the heap size the tasks' memory is planned against (tests give a small one). */
  Dispatcher(Ticker ticker, Duration lease, Duration retryBackoff, OutcomeSink sink, long heap) {
    this.ticker = ticker;
    this.leaseNanos = lease.toNanos();
    this.book = new JobBook(heap);
    this.board = new TaskBoard(ticker, registry, book, retryBackoff, this::wakeWaitersLocked);
    this.emitter = new OutcomeEmitter(sink, book, board, lock);
  }

  // ---------------------------------------------------------------- jobs

  /**
   * Creates a job and gives its tasks their ids; it runs at once unless {@code queued} (then {@link
   * #start} runs it). The caller journals the tasks before {@link #release}.
   *
   * @throws IllegalArgumentException when its tasks would not fit the master's memory (see {@link
   *     TaskMemory}), saying so; nothing is created then
   */
  Job create(JobSpec spec, boolean queued, BlockingQueue<TaskOutcome> outcomes) {
    lock.lock();
    try {
      Job.State state = queued ? Job.State.QUEUED : Job.State.RUNNING;
      Job job = book.create(spec, state, ticker.read(), this, outcomes);
      job.startedWith(!registry.sessions.isEmpty());
      return job;
    } finally {
      lock.unlock();
    }
  }

  /** Makes a created job's tasks known (made as they are handed out); a running job's go out. */
  void release(Job job) {
    release(job, null);
  }

  /** Makes a job's tasks known from their entries (a restored job's, {@link TaskEntry#of}). */
  void release(Job job, List<TaskEntry> entries) {
    int tasks = entries == null ? job.spec().inputs().size() : entries.size();
    job.expect(tasks);
    lock.lock();
    try {
      board.add(job, entries);
      job.pending = tasks;
      if (job.state == Job.State.RUNNING) {
        waiting.wakeServed(board);
      }
      book.finishIfDone(job);
    } finally {
      lock.unlock();
    }
    emitter.emitQuietly(List.of()); // a job without tasks has ended already
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
      job.startedWith(!registry.sessions.isEmpty());
      board.start(job);
      waiting.wakeServed(board);
      book.finishIfDone(job);
    } finally {
      lock.unlock();
    }
    emitter.emitQuietly(List.of());
  }

  /** Withdraws every task of {@code job} not yet collected, as cancelled with {@code reason}. */
  void cancel(Job job, String reason) {
    List<TaskOutcome> outcomes;
    lock.lock();
    try {
      if (job.isDoneLocked()) {
        return;
      }
      job.cancelReason = reason;
      outcomes = board.cancel(job, reason);
      job.lastCollectedAt = ticker.read();
      book.cancelled(job);
    } finally {
      lock.unlock();
    }
    emitter.emitQuietly(outcomes);
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
   * Opens a worker JVM's link, or keeps the one it had (see {@link Registry#openOrResume}): its
   * sessions and leases stay, so results of the tasks it runs are not refused as another link's.
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
      Registry.LinkRec link =
          registry.openOrResume(request, address, fingerprint, lock.newCondition(), ticker.read());
      long leaseMillis = TimeUnit.NANOSECONDS.toMillis(leaseNanos);
      return new LinkReply(
          link.id, registry.instance, heartbeatMillis, leaseMillis, collect, servedHosts);
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
      counts.everJoined = true;
      book.workerJoined();
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
      long now = ticker.read();
      for (String id : closeLink ? List.copyOf(link.sessions.keySet()) : sessionIds) {
        Registry.SessionRec session = link.sessions.get(id);
        if (session != null) {
          board.release(session, true);
          registry.closeSession(session);
          book.workerEnded(session.row.name, now, false);
        }
      }
      if (closeLink) {
        registry.closeLink(link);
        waiting.closed(link); // its exchange, if one waits, returns now
      }
      waiting.wakeServed(board);
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

  /**
   * Collects an exchange's results (the first half of an exchange), fenced by {@link ResultFence},
   * and delivers the outcomes before it returns.
   *
   * @throws IllegalStateException when results are refused (the journal failed): the worker keeps
   *     them
   */
  ResultFence.Collected collectFrom(ExchangeRequest request) throws UnknownLinkException {
    String refusing = emitter.refusing();
    if (refusing != null && request.slots().stream().anyMatch(s -> !s.results().isEmpty())) {
      throw new IllegalStateException(refusing);
    }
    ResultFence.Collected collected;
    lock.lock();
    try {
      long now = ticker.read();
      Registry.LinkRec link = liveLink(request.linkId());
      link.renewedAt = now;
      collected = ResultFence.apply(link, request.slots(), registry, board, now);
      counts.duplicates += collected.late();
      counts.forged += collected.forged();
    } finally {
      lock.unlock();
    }
    emitter.emit(collected.outcomes());
    return collected;
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
      List<String> unknown = new ArrayList<>();
      Map<Registry.SessionRec, Integer> room = LeasePolicy.room(link, request.slots(), unknown);
      Map<String, List<Task>> given = leaseWaiting(link, room, request.waitMillis());
      List<SlotTasks> tasks = new ArrayList<>();
      given.forEach((session, list) -> tasks.add(new SlotTasks(session, list)));
      List<Long> withdrawn = List.copyOf(link.withdrawn);
      link.withdrawn.clear();
      if (phase == MasterPhase.FINISHED) {
        link.sawFinished = true;
      }
      List<CodeOffer> changed = request.codeVersion() == codeVersion ? null : offers;
      return new ExchangeReply(phase, tasks, unknown, withdrawn, codeVersion, changed);
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
      waiting.await(link, board.sleepFor(left, now));
    }
  }

  /** The board's way to wake waiters: it only ever calls this under the lock (reentrant). */
  private void wakeWaitersLocked() {
    lock.lock();
    try {
      waiting.wakeServed(board);
    } finally {
      lock.unlock();
    }
  }

  /** What housekeeping did, for the master's log. */
  record Swept(List<String> expiredWorkers, int overdue, List<TaskOutcome> failedOutright) {}

  /**
   * Drops links silent for longer than the lease (their tasks go back, or fail when their attempts
   * are used up), and hands overdue tasks to other workers (or fails them). Called periodically;
   * what it requeued and failed is journaled after the lock is released.
   */
  Swept sweep() {
    List<String> expired = new ArrayList<>();
    List<TaskOutcome> outcomes = new ArrayList<>();
    int overdue;
    lock.lock();
    try {
      long now = ticker.read();
      for (Registry.LinkRec link : registry.silentSince(now, leaseNanos)) {
        counts.expiredLinks++;
        for (Registry.SessionRec session : List.copyOf(link.sessions.values())) {
          expired.add(session.row.name);
          board.expire(session, outcomes);
          // a silent worker ended when it was last heard from, not when its lease ran out
          book.workerEnded(session.row.name, link.renewedAt, true);
        }
        registry.closeLink(link);
        waiting.closed(link);
      }
      overdue = board.reissueOverdue(now, outcomes);
      board.failDeclinedNobodyRuns(outcomes);
      board.promoteDueRetries();
      if (overdue > 0 || !expired.isEmpty() || board.pending().size() > 0) {
        waiting.wakeServed(board);
      }
    } finally {
      lock.unlock();
    }
    emitter.emitQuietly(outcomes);
    return new Swept(expired, overdue, outcomes);
  }

  // ---------------------------------------------------------------- phase, code, queries

  void finish() {
    lock.lock();
    try {
      phase = MasterPhase.FINISHED;
      waiting.wakeAll();
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

  void offer(CodeStore store) {
    this.code = store;
    lock.lock();
    try {
      waiting.wakeServed(board); // workers that wanted the code's kind take it now
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
      board.promoteDueRetries();
      return counts.with(book, registry.sessions.size());
    } finally {
      lock.unlock();
    }
  }

  /** Everything a status read needs, in one acquisition of the lock. */
  DispatcherSnapshot snapshot() {
    lock.lock();
    try {
      long now = ticker.read();
      int sessions = registry.sessions.size();
      List<DispatcherSnapshot.JobView> views = new ArrayList<>();
      for (Job job : book.all()) {
        views.add(DispatcherSnapshot.JobView.of(job, now, sessions));
      }
      board.promoteDueRetries();
      return DispatcherSnapshot.of(phase, counts.with(book, sessions), views, registry, board);
    } finally {
      lock.unlock();
    }
  }
}
