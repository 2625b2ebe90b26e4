package org.rmiq.worker;

import com.google.common.base.Ticker;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.rmiq.api.TaskHandler;
import org.rmiq.internal.wire.SessionReply;
import org.rmiq.internal.wire.SessionRequest;
import org.rmiq.internal.wire.Slot;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.util.Printable;
import org.rmiq.worker.download.DownloadHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker session's desk: the tasks it holds and runs on its threads, and the results waiting
 * for the link to carry them. The link ({@link MasterLink}) asks the desk what to send and hands it
 * what the master gave; the desk never calls the master itself, except to send a task's file.
 *
 * <p>A result remembers the session (and master run) whose task it answers, so results of a session
 * the master forgot still reach it under their own session's name, which the master checks against
 * the task's lease; results for a master that has since restarted are dropped (it runs those tasks
 * again).
 */
final class TaskDesk {
  private static final Logger log = LoggerFactory.getLogger(TaskDesk.class);

  /**
   * How long a result may wait for others to share its exchange while this JVM's workers are busy:
   * results then travel a few milliseconds late but in one call instead of dozens.
   */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** What the desk tells its worker when it ends on its own. */
  interface Ending {
    void ended(Worker.Exit exit, String message);
  }

  /** A result on its way, and the session and master run it belongs to. */
  record Outgoing(String sessionId, String instance, TaskResult result) {}

  /** Results an exchange carries for this desk, so they can be put back if it fails. */
  record Taken(TaskDesk desk, List<Outgoing> results) {}

  private final Settings settings;
  private final Handlers handlers;
  private final TaskRunner runner;
  private final TaskAllowance allowance;
  private final ExecutorService shared;
  private final Map<String, ExecutorService> ownPools = new HashMap<>();
  private final Ticker ticker;
  private final Ending ending;
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Map<Long, Work> running = new ConcurrentHashMap<>();
  private volatile MasterLink link;

  /** Whether it is on its link's attention list now. */
  private final java.util.concurrent.atomic.AtomicBoolean listed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final Object lock = new Object();

  @GuardedBy("lock")
  private String sessionId;

  @GuardedBy("lock")
  private String workerName;

  @GuardedBy("lock")
  private boolean everJoined;

  @GuardedBy("lock")
  private long attachedAt;

  @GuardedBy("lock")
  private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();

  /** Results sent in an exchange not yet answered. */
  @GuardedBy("lock")
  private int inFlight;

  /** When the oldest waiting result was ready (ticker time). */
  @GuardedBy("lock")
  private long oldestReadyAt;

  /** The shipped-code generation whose kinds the master knows. */
  @GuardedBy("lock")
  private long toldGeneration;

  @GuardedBy("lock")
  private boolean stopping;

  @GuardedBy("lock")
  private boolean ended;

  @GuardedBy("lock")
  private long lastLoggedDone;

  /** What a desk is made of. */
  record Settings(
      String name,
      int threads,
      int prefetch,
      boolean exitWhenDone,
      boolean verbose,
      boolean quiet,
      Duration giveUpAfter) {}

  TaskDesk(
      Settings settings,
      Handlers handlers,
      ScheduledExecutorService timers,
      Ticker ticker,
      Ending ending) {
    this.settings = settings;
    this.handlers = handlers;
    this.ticker = ticker;
    this.ending = ending;
    this.runner = new TaskRunner(handlers, timers);
    Map<String, Integer> ownThreads = new HashMap<>();
    int nextLane = settings.threads; // the shared pool has lanes 0 .. threads-1
    for (TaskHandler handler : handlers.own().values()) {
      if (handler.ownThreads() > 0) {
        ownThreads.put(handler.kind(), handler.ownThreads());
        ownPools.put(handler.kind(), pool(handler.ownThreads(), handler.kind(), nextLane));
        nextLane += handler.ownThreads();
      }
    }
    this.allowance = new TaskAllowance(ticker, settings.threads, ownThreads, settings.prefetch);
    this.shared = pool(settings.threads, "task", 0);
  }

  private ExecutorService pool(int threads, String what, int firstLane) {
    // Threads start on the first task, so a pool a job never uses costs nothing.
    AtomicInteger made = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        new ThreadFactoryBuilder()
            .setDaemon(true)
            .setNameFormat("rmiq-worker-" + what + "-%d")
            .setThreadFactory(
                work -> {
                  // a thread that replaces a dead one takes its lane back, so lanes stay few
                  int lane = firstLane + Math.floorMod(made.getAndIncrement(), threads);
                  return new LaneThread(work, Math.min(lane, SessionRequest.MAX_THREADS));
                })
            .build());
  }

  /**
   * A pool thread that knows its lane: which of the worker's threads it is, so the master's
   * timeline can draw each thread's tasks on one row.
   */
  private static final class LaneThread extends Thread {
    final int lane;

    LaneThread(Runnable work, int lane) {
      super(work);
      this.lane = lane;
    }

    static int current() {
      return Thread.currentThread() instanceof LaneThread t ? t.lane : 0;
    }
  }

  // ------------------------------------------------------------------ for the link

  void attachedTo(MasterLink link, long now) {
    synchronized (lock) {
      this.attachedAt = now;
    }
    this.link = link;
  }

  /** When it was attached to its link (ticker time). */
  long attachedAt() {
    synchronized (lock) {
      return attachedAt;
    }
  }

  /** Whether it ever had a session. */
  boolean everJoined() {
    synchronized (lock) {
      return everJoined;
    }
  }

  /** How long it waits for a first master before giving up; zero: for ever. */
  Duration giveUpAfter() {
    return settings.giveUpAfter;
  }

  /** The shipped-code generation now (asked before joining, so the join tells those kinds). */
  long generation() {
    return handlers.generation();
  }

  /** Whether it needs a session (never had one, or the master forgot it). */
  boolean needsSession() {
    synchronized (lock) {
      return sessionId == null && !stopping && !ended;
    }
  }

  /** What to ask the master to open a session with. */
  SessionRequest sessionRequest(String linkId) {
    return new SessionRequest(linkId, settings.name, settings.threads, handlers.kinds());
  }

  /** The master opened a session for it. */
  void joined(SessionReply reply, String masterInstance, long generationAsked, String master) {
    boolean first;
    synchronized (lock) {
      sessionId = reply.sessionId();
      workerName = reply.workerName();
      toldGeneration = generationAsked;
      first = !everJoined;
      everJoined = true;
    }
    MasterLink current = link;
    if (current != null) {
      current.session(this, reply.sessionId(), null);
      flag(); // it has room: ask for tasks
      for (TaskHandler handler : handlers.own().values()) {
        if (handler instanceof DownloadHandler download) {
          download.allowServed(current.servedHosts());
        }
      }
    }
    if (first) {
      if (!settings.quiet) {
        log.info(
            "worker {}: joined master {} with {} thread(s), running {}",
            reply.workerName(),
            master,
            settings.threads,
            String.join(", ", handlers.kinds()));
      }
    } else {
      log.debug("worker {}: re-joined master {}", reply.workerName(), master);
    }
  }

  /** The master no longer knows its session: it joins again; held tasks still report. */
  void sessionLost(String lostId) {
    String lost;
    synchronized (lock) {
      if (sessionId == null || (lostId != null && !lostId.equals(sessionId))) {
        return;
      }
      lost = sessionId;
      sessionId = null;
    }
    MasterLink current = link;
    if (current != null) {
      current.session(this, null, lost);
      current.wantsJoin();
    }
  }

  /** Puts it on its link's attention list (once until the next exchange visits it). */
  void flag() {
    MasterLink current = link;
    if (current != null && listed.compareAndSet(false, true)) {
      current.attention(this);
    }
  }

  /** Its current session, or null. */
  String sessionId() {
    synchronized (lock) {
      return sessionId;
    }
  }

  /**
   * Adds its slots to an exchange: the current session's results, room and (when shipped code
   * arrived) kinds, and one slot per earlier session with results still to deliver. Results of
   * another master run are dropped. Takes at most {@code maxResults} results and about {@code
   * maxBytes}.
   *
   * @return what it took, to confirm or put back
   */
  Taken fill(List<Slot> slots, String masterInstance, int maxResults, long maxBytes) {
    listed.set(false); // what happens from here on lists it again
    Map<String, List<TaskResult>> bySession = new LinkedHashMap<>();
    List<Outgoing> taken = new ArrayList<>();
    int dropped = 0;
    String current;
    long generation = handlers.generation();
    boolean tellKinds;
    int room;
    synchronized (lock) {
      current = sessionId;
      long bytes = 0;
      while (!outbox.isEmpty() && taken.size() < maxResults) {
        Outgoing next = outbox.peekFirst();
        if (!next.instance().equals(masterInstance)) {
          outbox.removeFirst();
          dropped++;
          continue;
        }
        long size = next.result().wireBytes();
        if (!taken.isEmpty() && bytes + size > maxBytes) {
          break;
        }
        bytes += size;
        taken.add(outbox.removeFirst());
        bySession.computeIfAbsent(next.sessionId(), id -> new ArrayList<>()).add(next.result());
      }
      inFlight += taken.size();
      oldestReadyAt = ticker.read();
      tellKinds = current != null && generation != toldGeneration;
      if (tellKinds) {
        toldGeneration = generation;
      }
      room = current == null || stopping || ended ? 0 : allowance.room();
    }
    if (dropped > 0) {
      log.info(
          "worker {}: dropped {} result(s) of tasks from before the master restarted (it runs"
              + " those tasks again)",
          name(),
          dropped);
    }
    if (current != null) {
      List<TaskResult> mine = bySession.remove(current);
      if (mine != null || room > 0 || tellKinds) {
        slots.add(
            new Slot(
                current,
                mine == null ? List.of() : mine,
                room,
                tellKinds ? handlers.kinds() : null,
                tellKinds ? handlers.loadedCode() : null));
      }
    }
    bySession.forEach((id, results) -> slots.add(new Slot(id, results, 0)));
    if (hasResults()) {
      flag(); // over this exchange's limits: the rest go in the next
      MasterLink link = this.link;
      if (link != null) {
        link.resultReady(oldestReadyAt());
      }
    }
    return new Taken(this, taken);
  }

  /** The exchange that carried {@code taken} succeeded. */
  void delivered(Taken taken) {
    synchronized (lock) {
      inFlight -= taken.results().size();
      lock.notifyAll();
    }
  }

  /** The exchange that carried {@code taken} failed: its results go out again first. */
  void putBack(Taken taken) {
    synchronized (lock) {
      inFlight -= taken.results().size();
      List<Outgoing> results = taken.results();
      for (int i = results.size() - 1; i >= 0; i--) {
        outbox.addFirst(results.get(i));
      }
      if (!results.isEmpty()) {
        oldestReadyAt = Math.min(oldestReadyAt, ticker.read());
      }
      lock.notifyAll();
    }
    if (!taken.results().isEmpty()) {
      flag();
      MasterLink current = link;
      if (current != null) {
        current.resultReady(oldestReadyAt());
      }
    }
  }

  /** Runs tasks the master gave its session. */
  void accept(String forSession, String masterInstance, List<Task> tasks) {
    for (Task task : tasks) {
      allowance.took(task.kind());
    }
    MasterLink current = link;
    if (current != null) {
      current.held(tasks.size());
    }
    for (Task task : tasks) {
      ExecutorService pool = ownPools.getOrDefault(task.kind(), shared);
      Work work = new Work(task, forSession, masterInstance);
      running.put(task.id(), work); // before it runs, so its end always finds it
      try {
        pool.execute(work);
      } catch (RejectedExecutionException stopped) {
        work.cancel(false); // stopping: the master re-queues it when we leave
      }
    }
  }

  /** Drops tasks the master withdrew (their job was cancelled); running ones are interrupted. */
  void withdraw(List<Long> taskIds) {
    for (Long id : taskIds) {
      Work work = running.get(id);
      if (work != null) {
        work.cancel(true);
      }
    }
  }

  /** Whether it has results to send. */
  boolean hasResults() {
    synchronized (lock) {
      return !outbox.isEmpty();
    }
  }

  /** When its oldest waiting result was ready, or MAX_VALUE. */
  long oldestReadyAt() {
    synchronized (lock) {
      return outbox.isEmpty() ? Long.MAX_VALUE : oldestReadyAt;
    }
  }

  /** Whether it has room enough to be worth asking the master for tasks. */
  boolean wantsMore() {
    synchronized (lock) {
      if (sessionId == null || stopping || ended) {
        return false;
      }
    }
    return allowance.wantsMore();
  }

  /**
   * Whether a thread of its own is about to idle (it holds fewer tasks than threads) and the master
   * may have more: the one reason to call the master before the linger ends.
   */
  boolean starving() {
    synchronized (lock) {
      if (sessionId == null || stopping || ended) {
        return false;
      }
    }
    return allowance.held() < settings.threads && allowance.wantsMore();
  }

  /** True when it holds no task and owes no result. */
  boolean idle() {
    synchronized (lock) {
      return outbox.isEmpty() && inFlight == 0 && allowance.idle();
    }
  }

  /** The master finished its job, or left after finishing: a worker that exits when done goes. */
  boolean masterFinished(String why) {
    if (settings.exitWhenDone && idle()) {
      end(Worker.Exit.JOB_FINISHED, why);
      return true;
    }
    return false;
  }

  /** Ends the desk with {@code exit} (once); its worker then stops. */
  void end(Worker.Exit exit, String message) {
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
    }
    ending.ended(exit, message);
  }

  boolean exitsWhenDone() {
    return settings.exitWhenDone;
  }

  // ------------------------------------------------------------------ running a task

  /**
   * A task on its way through a pool. Its end, however it comes (done, failed, withdrawn before or
   * while running, refused by a stopping pool), frees its place in the allowance exactly once.
   */
  private final class Work extends FutureTask<Void> {
    private final Task task;
    private final Timing timing;

    Work(Task task, String forSession, String masterInstance) {
      this(task, new Timing(), forSession, masterInstance);
    }

    private Work(Task task, Timing timing, String forSession, String masterInstance) {
      super(
          () -> {
            timing.startedAt = ticker.read();
            runOne(task, forSession, masterInstance);
          },
          null);
      this.task = task;
      this.timing = timing;
    }

    @Override
    protected void done() {
      running.remove(task.id(), this);
      long started = timing.startedAt;
      allowance.finished(task.kind(), started == Long.MIN_VALUE ? 0 : ticker.read() - started);
      MasterLink current = link;
      if (current != null) {
        current.held(-1);
        if (starving()) {
          flag();
          current.starving(); // a thread is about to idle: worth a call now
        } else if (allowance.wantsMore()) {
          flag(); // room for more: the next exchange tops it up
        }
      }
    }
  }

  /** When a task started running (ticker time); MIN_VALUE before. */
  private static final class Timing {
    volatile long startedAt = Long.MIN_VALUE;
  }

  private void runOne(Task task, String forSession, String masterInstance) {
    try {
      synchronized (lock) {
        if (stopping || ended) {
          return; // not started: the master re-queues it when we leave
        }
      }
      TaskRunner.Attempt attempt = runner.attempt(task, task.timeoutMillis());
      TaskResult result = attempt.result().onLane(LaneThread.current());
      MasterLink current = link;
      if (result.isOk() && attempt.file() != null && current != null && current.collectsFiles()) {
        result = sendFile(current, forSession, task, result, attempt.file());
      }
      if (!result.declined()) {
        (result.isOk() ? succeeded : failed).incrementAndGet();
      }
      if (settings.verbose) {
        log.info(
            "worker {}: task {} ({} {}) -> {}",
            name(),
            task.id(),
            task.kind(),
            Printable.of(task.input()),
            Printable.of(result.isOk() ? result.value() : "failed: " + result.error()));
      }
      boolean first;
      synchronized (lock) {
        first = outbox.isEmpty();
        if (first) {
          oldestReadyAt = ticker.read();
        }
        outbox.addLast(new Outgoing(forSession, masterInstance, result));
      }
      if (first && current != null) {
        flag();
        current.resultReady(ticker.read()); // the link gathers results a moment, or sends now
      }
    } catch (InterruptedException e) {
      // withdrawn, or abandoned while stopping: no result, the master re-queues or dropped it
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Sends a task's file to the master that collects files; the result then names the file as the
   * master stored it ({@code collected}), or fails saying why the file did not arrive.
   */
  private TaskResult sendFile(
      MasterLink current, String forSession, Task task, TaskResult result, Path file) {
    String failure;
    boolean retryable = true;
    try {
      String stored = current.sendFile(forSession, task.id(), file, result.details().get("sha256"));
      Map<String, String> details = new HashMap<>(result.details());
      details.put("collected", stored);
      return TaskResult.ok(result.taskId(), result.value(), details, result.millis())
          .onLane(result.lane());
    } catch (FileSender.Refused e) {
      failure = e.getMessage();
      retryable = !e.permanent;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "the worker stopped while sending it";
    } catch (Exception e) {
      failure = e.getMessage(); // the link failed, or a local read
    }
    log.warn(
        "worker {}: task {}: saved {} here, but the master did not take it: {}",
        name(),
        task.id(),
        file.getFileName(),
        failure);
    return TaskResult.failed(
            result.taskId(),
            "downloaded as " + file.getFileName() + " but not collected by the master: " + failure,
            retryable,
            result.millis())
        .onLane(result.lane());
  }

  // ------------------------------------------------------------------ stopping

  /** Frees a desk that never ran. */
  void discard() {
    ownPools.values().forEach(ExecutorService::shutdown);
    shared.shutdown();
  }

  /**
   * Stops taking tasks, lets running ones finish within {@code grace}, delivers their results while
   * the master is reachable, and leaves it.
   */
  void stop(Duration grace) throws InterruptedException {
    synchronized (lock) {
      stopping = true;
    }
    MasterLink current = link;
    if (current != null) {
      current.wake();
    }
    List<ExecutorService> pools = new ArrayList<>(ownPools.values());
    pools.add(shared);
    pools.forEach(ExecutorService::shutdown);
    long deadline = ticker.read() + grace.toNanos();
    boolean finished = true;
    for (ExecutorService pool : pools) {
      finished &=
          pool.awaitTermination(Math.max(0, deadline - ticker.read()), TimeUnit.NANOSECONDS);
    }
    if (!finished) {
      log.warn(
          "worker {}: tasks still running after {}; abandoning them (the master re-queues them)",
          name(),
          grace);
      pools.forEach(ExecutorService::shutdownNow);
    }
    int undelivered = awaitDelivered(current, Math.max(deadline, ticker.read() + 2_000_000_000L));
    if (undelivered > 0) {
      log.warn(
          "worker {}: {} result(s) could not be delivered (the master is unreachable); the master"
              + " runs those tasks again",
          name(),
          undelivered);
    }
    if (current != null) {
      current.detach(this);
    }
  }

  /** Waits while the link is up and results are on their way; returns how many are left. */
  private int awaitDelivered(MasterLink current, long deadline) throws InterruptedException {
    synchronized (lock) {
      while ((!outbox.isEmpty() || inFlight > 0)
          && current != null
          && current.isConnected()
          && ticker.read() < deadline) {
        current.wake();
        lock.wait(50);
      }
      return outbox.size() + inFlight;
    }
  }

  // ------------------------------------------------------------------ what it shows

  /** The name the master knows it by (unique among its workers), once joined. */
  String name() {
    synchronized (lock) {
      return workerName == null ? settings.name : workerName;
    }
  }

  long succeeded() {
    return succeeded.get();
  }

  long failed() {
    return failed.get();
  }

  List<String> kinds() {
    return handlers.kinds();
  }

  /** Logs the counts every 10 s, but only when they changed, so an idle worker stays quiet. */
  void logProgress() {
    long done = succeeded.get() + failed.get();
    long before;
    synchronized (lock) {
      before = lastLoggedDone;
      lastLoggedDone = done;
    }
    if (done != before && !settings.quiet) {
      log.info(
          "worker {}: {} task(s) done ({} in the last 10 s, {}/s), {} failed",
          name(),
          done,
          done - before,
          (done - before) / 10,
          failed.get());
    }
  }
}
