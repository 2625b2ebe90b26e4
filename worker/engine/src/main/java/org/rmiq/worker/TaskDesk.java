package org.rmiq.worker;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rmiq.internal.transport.HandshakeWarmUp;
import org.rmiq.internal.wire.SessionReply;
import org.rmiq.internal.wire.SessionRequest;
import org.rmiq.internal.wire.Slot;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;
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
   * results then travel a few milliseconds late but in one call instead of dozens. A call costs the
   * link's thread about as much as a few dozen results (RMI, TLS, a visit to each desk with
   * results): 20 ms instead of 5 took the link thread's CPU per 10 ms sleep task from 11-14 to 6-9
   * µs, and a worker of a hundred threads from 35-38 to 22-27 µs in all (BENCHMARKS.md, sixth
   * round). The wait is sent with each result, so the master's timeline is not skewed by it; a
   * thread about to idle, or a lone task, still sends at once.
   */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /** What the desk tells its worker when it ends on its own. */
  interface Ending {
    void ended(Worker.Exit exit, String message);
  }

  /** Results an exchange carries for this desk, so they can be put back if it fails. */
  record Taken(TaskDesk desk, List<Outbox.Outgoing> results) {}

  private final Settings settings;
  private final Handlers handlers;
  private final TaskExecutor executor;
  private final TaskAllowance allowance;
  private final Ticker ticker;
  private final Ending ending;
  private final DeskCounts counts = new DeskCounts();
  private final Outbox outbox;
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

  /** The shipped-code generation whose kinds the master knows. */
  @GuardedBy("lock")
  private long toldGeneration;

  @GuardedBy("lock")
  private boolean stopping;

  @GuardedBy("lock")
  private boolean ended;

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
    this.outbox = new Outbox(ticker);
    this.executor =
        new TaskExecutor(
            settings.threads, handlers, timers, ticker, settings.verbose, new DeskEvents());
    this.allowance =
        new TaskAllowance(ticker, settings.threads, executor.ownThreads(), settings.prefetch);
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
      HandshakeWarmUp.startCipher(current.profile()); // joined: now the cipher (once a JVM)
      flag(); // it has room: ask for tasks
      handlers.allowServed(current.servedHosts());
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
   * maxBytes}. Each result says how long it waited here until {@code now}, the exchange's time.
   *
   * @return what it took, to confirm or put back
   */
  Taken fill(List<Slot> slots, String masterInstance, int maxResults, long maxBytes, long now) {
    listed.set(false); // what happens from here on lists it again
    Outbox.Taking taking = outbox.take(masterInstance, maxResults, maxBytes);
    List<Outbox.Outgoing> taken = taking.taken();
    int dropped = taking.dropped();
    Map<String, List<TaskResult>> bySession = new LinkedHashMap<>();
    for (Outbox.Outgoing o : taken) {
      bySession.computeIfAbsent(o.sessionId(), id -> new ArrayList<>()).add(o.sentAt(now));
    }
    String current;
    long generation = handlers.generation();
    boolean tellKinds;
    int room;
    synchronized (lock) {
      current = sessionId;
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
    if (outbox.hasResults()) {
      flag(); // over this exchange's limits: the rest go in the next
      MasterLink link = this.link;
      if (link != null) {
        link.resultReady(outbox.oldestReadyAt());
      }
    }
    return new Taken(this, taken);
  }

  /** The exchange that carried {@code taken} succeeded. */
  void delivered(Taken taken) {
    outbox.delivered(taken.results().size());
  }

  /** The exchange that carried {@code taken} failed: its results go out again first. */
  void putBack(Taken taken) {
    outbox.putBack(taken.results());
    if (!taken.results().isEmpty()) {
      flag();
      MasterLink current = link;
      if (current != null) {
        current.resultReady(outbox.oldestReadyAt());
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
    executor.execute(tasks, forSession, masterInstance, allowance::perHandOff);
  }

  /** Drops tasks the master withdrew (their job was cancelled); running ones are interrupted. */
  void withdraw(List<Long> taskIds) {
    executor.withdraw(taskIds);
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
    return outbox.isEmpty() && allowance.idle();
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

  // ------------------------------------------------------------------ what its tasks say

  /** The desk's side of its tasks: results into the outbox, freed room into asks. */
  private final class DeskEvents implements TaskExecutor.Events {
    @Override
    public boolean mayStart() {
      synchronized (lock) {
        return !stopping && !ended;
      }
    }

    @Override
    public void result(String forSession, String masterInstance, TaskResult result) {
      counts.count(result);
      boolean first = outbox.add(forSession, masterInstance, result);
      MasterLink current = link;
      if (first && current != null) {
        flag();
        current.resultReady(ticker.read()); // the link gathers results a moment, or sends now
      }
    }

    @Override
    public void ended(String kind, long nanos) {
      allowance.finished(kind, nanos);
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

    @Override
    public boolean collectsFiles() {
      MasterLink current = link;
      return current != null && current.collectsFiles();
    }

    @Override
    public String sendFile(String sessionId, long taskId, Path file, String sha256)
        throws Exception {
      MasterLink current = link;
      if (current == null) {
        throw new java.io.IOException("the master is unreachable now");
      }
      return current.sendFile(sessionId, taskId, file, sha256);
    }

    @Override
    public String name() {
      return TaskDesk.this.name();
    }
  }

  // ------------------------------------------------------------------ stopping

  /** Frees a desk that never ran. */
  void discard() {
    executor.discard();
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
    long deadline = ticker.read() + grace.toNanos();
    executor.stop(deadline, grace);
    int undelivered =
        current == null
            ? 0
            : outbox.awaitDelivered(
                current::isConnected,
                current::wake,
                Math.max(deadline, ticker.read() + 2_000_000_000L));
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

  // ------------------------------------------------------------------ what it shows

  /** The name the master knows it by (unique among its workers), once joined. */
  String name() {
    synchronized (lock) {
      return workerName == null ? settings.name : workerName;
    }
  }

  long succeeded() {
    return counts.succeeded();
  }

  long failed() {
    return counts.failed();
  }

  List<String> kinds() {
    return handlers.kinds();
  }

  /** Logs the counts every 10 s, but only when they changed, so an idle worker stays quiet. */
  void logProgress() {
    if (!settings.quiet) {
      counts.log(name());
    }
  }
}
