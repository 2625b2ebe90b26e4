package org.rmiq.worker;

import com.google.common.base.Ticker;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.rmiq.internal.transport.CallFailure;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.wire.CodeOffer;
import org.rmiq.internal.wire.CodeRequest;
import org.rmiq.internal.wire.ExchangeReply;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.FileChunk;
import org.rmiq.internal.wire.Leave;
import org.rmiq.internal.wire.LinkReply;
import org.rmiq.internal.wire.LinkRequest;
import org.rmiq.internal.wire.MasterPhase;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.internal.wire.SessionReply;
import org.rmiq.internal.wire.Slot;
import org.rmiq.internal.wire.SlotTasks;
import org.rmiq.util.Durations;
import org.rmiq.util.OutOfMemory;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker JVM's link to one master, shared by every worker ({@link TaskDesk}) in the JVM that
 * joins that master: one thread and one call at a time, {@code exchange}, which carries every
 * session's results in and their tasks out and renews every lease of the link. It is the one place
 * that joins, re-joins, backs off and decides what a failure means:
 *
 * <ul>
 *   <li>a refused token, a port that is not an rmiq master, another version: every worker on the
 *       link stops (exit 3 or 4);
 *   <li>the master forgot the link (it expired, the master restarted): join again at once;
 *   <li>unreachable or busy: retry with capped back-off, saying so once per outage;
 *   <li>the master left after finishing its job: a worker that exits when done is done.
 * </ul>
 *
 * <p>The link exchanges when results are ready (waiting a moment for more while tasks are about to
 * finish), when a worker has room for half its allowance, when shipped code changed what it runs,
 * and at least once per heartbeat. An idle link waits inside the master (a long poll), so a new
 * task reaches it at once and an idle JVM costs the master about one call a second.
 */
final class MasterLink {
  private static final Logger log = LoggerFactory.getLogger(MasterLink.class);

  /** How soon a link with room asks again after the master had nothing. */
  static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** The longest an idle link waits inside the master for a task. */
  static final long LONG_POLL_MILLIS = 1000;

  /** About the most bytes of results one exchange carries; the master refuses calls over 4 MiB. */
  static final long MAX_EXCHANGE_BYTES = 3L << 20;

  /** Opens a connection to the master's service: the real registry lookup, or a fake in tests. */
  interface Connector {
    MasterService connect() throws Exception;
  }

  /** A failed call to the master, classified. */
  static final class LinkFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final transient CallFailure failure;

    LinkFailure(CallFailure failure) {
      super(failure.message(), failure.cause());
      this.failure = failure;
    }
  }

  private interface RemoteCall<T> {
    T call() throws Exception;
  }

  /** A session to end at the master, and who waits for it. */
  private record Goodbye(String sessionId, boolean lastDesk, CountDownLatch done) {}

  private final ClientProfile profile;
  private final CodeTrust trust;
  private final Connector connector;
  private final Ticker ticker;
  private final String localHost;
  private final WorkerRuntime runtime;
  private final ShippedCode shipped;
  private final Thread pump;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  @GuardedBy("lock")
  private final List<TaskDesk> desks = new ArrayList<>();

  @GuardedBy("lock")
  private final List<Goodbye> goodbyes = new ArrayList<>();

  /** No worker is left: the link says goodbye and its thread ends. */
  @GuardedBy("lock")
  private boolean closing;

  /** A final failure ended every worker; the link takes no new ones. */
  @GuardedBy("lock")
  private boolean failed;

  /** Something changed since the pump last looked (a result, room, a goodbye). */
  private volatile boolean poked;

  /** The pump waits for a change. */
  private volatile boolean sleeping;

  /** When the pump will look again by itself (ticker time); MAX_VALUE while it is deciding. */
  private volatile long wakeAt = Long.MAX_VALUE;

  /**
   * Workers with results to send or room to fill, each listed once ({@link TaskDesk#flag}): an
   * exchange visits only these, so a thousand busy workers do not cost a thousand checks a round.
   */
  private final ConcurrentLinkedQueue<TaskDesk> attention = new ConcurrentLinkedQueue<>();

  /** When the oldest unsent result was ready (ticker time); MAX_VALUE when none waits. */
  private final AtomicLong firstReadyAt = new AtomicLong(Long.MAX_VALUE);

  /** A worker's thread is about to idle: worth a call now. */
  private volatile boolean urgent;

  /** Tasks held by every worker on the link. */
  private final AtomicInteger held = new AtomicInteger();

  /** Some worker needs a session (a new one, or the master forgot it). */
  private volatile boolean joinsWanted = true;

  /** The workers by their current session. */
  private final Map<String, TaskDesk> bySession = new ConcurrentHashMap<>();

  /** The shipped-code generation the workers last told the master about. */
  private long toldGeneration;

  // Written by the pump, read by task threads (file uploads) and stopping workers.
  private volatile MasterService stub;
  private volatile String linkId;
  private volatile boolean collectFiles;
  private volatile boolean connected;
  private volatile List<String> servedHosts = List.of();

  // The pump's own state.
  private String instance;

  /** The link this JVM had before its connection broke: the master may keep it for us. */
  private String previousLinkId = "";

  private boolean joinedBefore;
  private long heartbeatNanos = TimeUnit.SECONDS.toNanos(1);
  private long lastCallAt;
  private boolean lastGaveNothing;

  /** The last call asked for tasks, got none, and came back before half the wait it asked for. */
  private boolean emptyEarly;

  private boolean finishedSeen;
  private long codeVersion;
  private volatile long loadedCodeVersion = -1;
  private Future<?> codeLoading;
  private ExecutorService codeThread;
  private String outage;
  private int failuresInARow;

  /** Handshakes in a row where the peer took our proof and gave none (a fake master?). */
  private int suspectInARow;

  /** After this many suspect handshakes in a row, the workers stop. */
  static final int SUSPECT_TRIES = 3;

  private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5));

  MasterLink(
      ClientProfile profile,
      CodeTrust trust,
      Connector connector,
      Ticker ticker,
      String localHost,
      WorkerRuntime runtime) {
    this.profile = profile;
    this.trust = trust;
    this.shipped = new ShippedCode(trust);
    this.connector = connector;
    this.ticker = ticker;
    this.localHost = localHost;
    this.runtime = runtime;
    this.pump = new Thread(this::pump, "rmiq-worker-link-" + profile.master());
    pump.setDaemon(true);
  }

  void start() {
    pump.start();
  }

  /** The code this link's master shipped (used only by workers that accept code). */
  ShippedCode shipped() {
    return shipped;
  }

  /** Adds a worker; false when the link is closing or failed (the runtime opens another). */
  boolean add(TaskDesk desk) {
    lock.lock();
    try {
      if (closing || failed) {
        return false;
      }
      desks.add(desk);
      desk.attachedTo(this, ticker.read());
      joinsWanted = true;
      poked = true;
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Removes a worker; true when it was the last (the link then closes). */
  boolean remove(TaskDesk desk, CountDownLatch done) {
    lock.lock();
    try {
      desks.remove(desk);
      boolean last = desks.isEmpty();
      goodbyes.add(new Goodbye(desk.sessionId(), last, done));
      if (last) {
        closing = true;
      }
      poked = true;
      changed.signalAll();
      return last;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes a stopping worker off the link, telling the master its session ended so its tasks go back
   * to the queue at once. Waits at most a second for that: a stop never hangs on a dead network
   * (the master then finds out when the lease runs out).
   */
  void detach(TaskDesk desk) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    runtime.release(this, desk, done);
    if (!done.await(1, TimeUnit.SECONDS)) {
      log.debug("worker {}: the master did not acknowledge the goodbye in time", desk.name());
    }
  }

  /**
   * A result is ready: wakes the pump only if it would otherwise look later than a linger from now,
   * so a hundred workers finishing tasks do not wake it a hundred times per exchange.
   */
  void nudge() {
    if (wakeAt - ticker.read() > TaskDesk.LINGER_NANOS) {
      wake();
    }
  }

  /** Something changed: a worker about to idle, a goodbye, new code. Cheap when not waiting. */
  void wake() {
    if (!poked) {
      poked = true;
      if (sleeping) {
        lock.lock();
        try {
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** A worker wants attention: results to send, or room for tasks. Called once until filled. */
  void attention(TaskDesk desk) {
    attention.add(desk);
  }

  /** A worker's first waiting result became ready at {@code at}. */
  void resultReady(long at) {
    firstReadyAt.compareAndSet(Long.MAX_VALUE, at);
    nudge();
  }

  /** A worker's thread is about to idle. */
  void starving() {
    urgent = true;
    wake();
  }

  /** Tasks held on the link changed by {@code delta}. */
  void held(int delta) {
    if (held.addAndGet(delta) == 0) {
      wake(); // everything is done: results go at once, and the link may wait in the master
    }
  }

  /** A worker needs a session. */
  void wantsJoin() {
    joinsWanted = true;
    wake();
  }

  /** A worker joined with {@code sessionId}, or lost {@code lost}. */
  void session(TaskDesk desk, String sessionId, String lost) {
    if (lost != null) {
      bySession.remove(lost, desk);
    }
    if (sessionId != null) {
      bySession.put(sessionId, desk);
    }
  }

  boolean collectsFiles() {
    return collectFiles;
  }

  boolean isConnected() {
    return connected;
  }

  /** The master's own {@code --serve} addresses ({@code host:port}): downloads from them pass. */
  List<String> servedHosts() {
    return servedHosts;
  }

  /** Sends a task's file to the master, on the calling (task) thread. */
  String sendFile(String sessionId, long taskId, Path file, String sha256) throws Exception {
    MasterService master = stub;
    String link = linkId;
    if (master == null || link == null || !connected) {
      throw new IOException("the master is unreachable now");
    }
    String name = file.getFileName().toString();
    return FileSender.send(
        (offset, data, last, sha) ->
            master.upload(new FileChunk(link, sessionId, taskId, name, offset, data, last, sha)),
        file,
        sha256);
  }

  // ------------------------------------------------------------------ the pump

  private void pump() {
    while (true) {
      try {
        if (!step()) {
          return;
        }
      } catch (InterruptedException e) {
        return; // only a stopping JVM interrupts the pump
      } catch (LinkFailure f) {
        try {
          if (!onFailure(f.failure)) {
            return;
          }
        } catch (InterruptedException e) {
          return;
        }
      } catch (OutOfMemoryError e) {
        OutOfMemory.report("the worker's link to its master", e);
      } catch (RuntimeException | Error e) {
        // A bug in rmiq, not the network: say so, and keep the link alive.
        log.error("worker: unexpected error on the link to {}; carrying on", profile.master(), e);
        try {
          pause(1000);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** One round: goodbyes, joining, one exchange. False when the link is closed. */
  private boolean step() throws InterruptedException, LinkFailure {
    if (sayGoodbyes()) {
      return false;
    }
    if (isFailed()) {
      pause(Long.MAX_VALUE); // until the last worker leaves
      return true;
    }
    if (stub == null || linkId == null) {
      connect();
    }
    if (joinsWanted) {
      joinsWanted = false;
      for (TaskDesk desk : snapshot()) {
        if (desk.needsSession()) {
          long generation = desk.generation();
          SessionReply reply;
          try {
            reply = call(() -> stub.openSession(desk.sessionRequest(linkId)));
          } catch (LinkFailure f) {
            joinsWanted = true; // the rest join after the failure is dealt with
            throw f;
          }
          desk.joined(reply, instance, generation, profile.master().toString());
        }
      }
    }
    if (codeLoading != null && codeLoading.isDone()) {
      codeLoading = null;
      if (loadedCodeVersion >= 0) {
        codeVersion = loadedCodeVersion;
      }
    }
    Exchange exchange = awaitReason();
    if (exchange != null) {
      exchange(exchange);
      failuresInARow = 0;
      suspectInARow = 0;
      backoff.reset();
      if (outage != null) {
        log.info("worker: the master at {} answers again", profile.master());
        outage = null;
      }
    }
    return true;
  }

  private void connect() throws LinkFailure {
    if (stub == null) {
      stub = call(connector::connect);
    }
    LinkRequest request =
        new LinkRequest(
            MasterService.PROTOCOL,
            localHost,
            trust.accepts(),
            trust.fingerprint(),
            previousLinkId);
    LinkReply reply = call(() -> stub.openLink(request));
    boolean kept = !previousLinkId.isEmpty() && reply.linkId().equals(previousLinkId);
    if (instance != null && !instance.equals(reply.instance())) {
      log.info("worker: the master at {} restarted; joining its new run", profile.master());
      codeVersion = 0;
    }
    instance = reply.instance();
    linkId = reply.linkId();
    previousLinkId = "";
    collectFiles = reply.collectFiles();
    servedHosts = reply.servedHosts();
    heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(reply.heartbeatMillis());
    joinedBefore = true;
    connected = true;
    suspectInARow = 0;
    finishedSeen = false;
    lastGaveNothing = false;
    emptyEarly = false;
    lastCallAt = ticker.read();
    if (outage != null) {
      log.info("worker: reconnected to the master at {}", profile.master());
      outage = null;
    }
    if (!kept) {
      // A new link: no sessions yet, and code is fetched (and its signature checked) again.
      shipped.clear();
      codeVersion = 0;
      for (TaskDesk desk : snapshot()) {
        desk.sessionLost(null);
      }
    } // else the master kept our link: the sessions, their tasks and leases carry on
  }

  /** Waits until an exchange is worth making; null when goodbyes, joins or closing come first. */
  private Exchange awaitReason() throws InterruptedException {
    while (true) {
      wakeAt = Long.MAX_VALUE; // nudges while deciding make it look again
      poked = false;
      if (hasGoodbyes() || joinsWanted) {
        return null;
      }
      long now = ticker.read();
      if (finishedSeen) {
        snapshot().forEach(desk -> desk.masterFinished("the master finished its job"));
      }
      long generation = shipped.generation();
      if (generation != toldGeneration) {
        toldGeneration = generation; // new code: every worker tells its kinds
        snapshot().forEach(TaskDesk::flag);
      }
      long first = firstReadyAt.get();
      boolean results = first != Long.MAX_VALUE;
      boolean wants = !attention.isEmpty();
      boolean idle = held.get() == 0;
      long next = lastCallAt + heartbeatNanos;
      boolean go = now >= next;
      if (results) {
        // Deliver at once when nothing else is coming (a lone task's latency), else gather.
        long lingerEnd = first + TaskDesk.LINGER_NANOS;
        go |= idle || urgent || now >= lingerEnd;
        next = Math.min(next, lingerEnd);
      } else if (wants) {
        long askAt;
        if (idle && !finishedSeen) {
          // Nothing runs here: wait in the master for work (a long poll) at once, so a task
          // submitted now starts now; only a poll that came back empty early pauses first.
          askAt = emptyEarly ? lastCallAt + POLL_NANOS : now;
        } else if (lastGaveNothing) {
          askAt = lastCallAt + (finishedSeen ? TimeUnit.SECONDS.toNanos(1) : POLL_NANOS);
        } else {
          // Ask at once for a worker about to idle; otherwise top up once per linger.
          askAt = urgent ? now : lastCallAt + TaskDesk.LINGER_NANOS;
        }
        go |= now >= askAt;
        next = Math.min(next, askAt);
      }
      if (go) {
        long wait =
            wants && idle && !results && !finishedSeen
                ? Math.min(LONG_POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(heartbeatNanos) * 3 / 4)
                : 0;
        return fill(wait);
      }
      if (outage != null) {
        giveUpIfDue(snapshot(), now);
      }
      long sleep = Math.max(100_000, next - now);
      wakeAt = now + sleep;
      lock.lock();
      try {
        sleeping = true;
        if (!poked && !closing && goodbyes.isEmpty()) {
          changed.awaitNanos(sleep);
        }
      } finally {
        sleeping = false;
        lock.unlock();
      }
    }
  }

  /** The slots of one exchange, and what they took from each worker. */
  private record Exchange(
      List<Slot> slots, List<TaskDesk.Taken> taken, List<TaskDesk> visited, long waitMillis) {}

  /** Builds an exchange from the workers that want attention, within the per-call limits. */
  private Exchange fill(long waitMillis) {
    List<Slot> slots = new ArrayList<>();
    List<TaskDesk.Taken> taken = new ArrayList<>();
    List<TaskDesk> visited = new ArrayList<>();
    firstReadyAt.set(Long.MAX_VALUE); // desks with results left over set it again
    urgent = false;
    int results = 0;
    long bytes = 0;
    while (results < ExchangeRequest.MAX_TASKS
        && bytes < MAX_EXCHANGE_BYTES
        && slots.size() < ExchangeRequest.MAX_SESSIONS - 8) {
      TaskDesk desk = attention.poll();
      if (desk == null) {
        break;
      }
      TaskDesk.Taken t =
          desk.fill(
              slots,
              instance,
              ExchangeRequest.MAX_TASKS - results,
              Math.max(0, MAX_EXCHANGE_BYTES - bytes));
      results += t.results().size();
      for (TaskDesk.Outgoing o : t.results()) {
        bytes += o.result().wireBytes();
      }
      taken.add(t);
      visited.add(desk);
    }
    if (!attention.isEmpty()) {
      firstReadyAt.compareAndSet(Long.MAX_VALUE, ticker.read()); // the rest go next, soon
    }
    return new Exchange(slots, taken, visited, waitMillis);
  }

  private void exchange(Exchange exchange) throws LinkFailure {
    lastCallAt = ticker.read();
    ExchangeReply reply;
    try {
      ExchangeRequest request =
          new ExchangeRequest(linkId, exchange.slots(), exchange.waitMillis(), codeVersion);
      reply = call(() -> stub.exchange(request));
    } catch (LinkFailure | RuntimeException e) {
      exchange.taken().forEach(t -> t.desk().putBack(t));
      exchange.visited().forEach(TaskDesk::flag); // they ask again next time
      throw e;
    }
    exchange.taken().forEach(t -> t.desk().delivered(t));
    // "Nothing to do" only when it asked for tasks: a call that only delivered results got none
    // because it wanted none.
    boolean asked = exchange.slots().stream().anyMatch(slot -> slot.room() > 0);
    lastGaveNothing = asked && reply.tasks().isEmpty();
    emptyEarly =
        lastGaveNothing
            && exchange.waitMillis() > 0
            && ticker.read() - lastCallAt
                < TimeUnit.MILLISECONDS.toNanos(exchange.waitMillis()) / 2;
    finishedSeen = reply.phase() == MasterPhase.FINISHED;
    for (SlotTasks given : reply.tasks()) {
      TaskDesk desk = bySession.get(given.sessionId());
      if (desk != null) {
        desk.accept(given.sessionId(), instance, given.tasks());
      } // else the worker is leaving: its goodbye hands the tasks back
    }
    for (String unknown : reply.unknownSessions()) {
      TaskDesk desk = bySession.get(unknown);
      if (desk != null) {
        desk.sessionLost(unknown);
      }
    }
    // A worker that asked and got nothing (or not enough) asks again in the next round.
    for (TaskDesk desk : exchange.visited()) {
      if (desk.wantsMore()) {
        desk.flag();
      }
    }
    if (!reply.withdrawn().isEmpty()) {
      snapshot().forEach(desk -> desk.withdraw(reply.withdrawn()));
    }
    if (reply.offers() != null) {
      consider(reply.codeVersion(), reply.offers());
    }
    if (finishedSeen) {
      snapshot().forEach(desk -> desk.masterFinished("the master finished its job"));
    }
  }

  /** Fetches offered code in the background, if this link accepts code. */
  private void consider(long version, List<CodeOffer> offers) {
    if (!trust.accepts()) {
      codeVersion = version; // never fetched; the master names the flag where the teacher looks
      return;
    }
    if (codeLoading != null) {
      return; // one load at a time; the offers come again until it ends
    }
    List<CodeOffer> missing = shipped.missing(offers);
    if (missing.isEmpty()) {
      codeVersion = version;
      return;
    }
    MasterService master = stub;
    String link = linkId;
    loadedCodeVersion = -1;
    codeLoading =
        codeThread()
            .submit(
                () -> {
                  try {
                    for (CodeOffer offer : missing) {
                      shipped.load(
                          offer,
                          (sha, offset) -> master.fetchCode(new CodeRequest(link, sha, offset)));
                    }
                    loadedCodeVersion = version;
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (ShippedCode.FetchFailed e) {
                    log.warn(
                        "worker: could not fetch code from the master at {} ({}); trying again",
                        profile.master(),
                        e.getMessage());
                  } finally {
                    wake();
                  }
                  return null;
                });
  }

  private ExecutorService codeThread() {
    if (codeThread == null) {
      codeThread =
          Executors.newSingleThreadExecutor(
              new ThreadFactoryBuilder()
                  .setDaemon(true)
                  .setNameFormat("rmiq-worker-code-%d")
                  .build());
    }
    return codeThread;
  }

  // ------------------------------------------------------------------ failures

  /**
   * Decides what a failed call means; false when the link is done.
   *
   * @throws InterruptedException when the JVM stops during the back-off
   */
  private boolean onFailure(CallFailure failure) throws InterruptedException {
    failuresInARow++;
    List<TaskDesk> desks = snapshot();
    if (failure.kind() != CallFailure.Kind.BUSY) {
      // A busy master still knows the link; anything else reconnects, asking the master to keep
      // the link (it may still run: a Wi-Fi roam, a broken TLS connection) unless it lost it.
      connected = false;
      stub = null;
      previousLinkId = failure.kind() == CallFailure.Kind.LINK_LOST || linkId == null ? "" : linkId;
      linkId = null;
    }
    boolean gone =
        failure.kind() == CallFailure.Kind.UNREACHABLE
            || failure.kind() == CallFailure.Kind.LINK_LOST;
    if (finishedSeen && gone) {
      // The master stopped after finishing its job: a worker that exits when done is done.
      finishedSeen = false;
      boolean anyStays = false;
      for (TaskDesk desk : desks) {
        if (desk.exitsWhenDone()) {
          desk.end(Worker.Exit.JOB_FINISHED, "the master finished its job and stopped");
        } else {
          anyStays = true;
        }
      }
      if (anyStays) {
        log.info(
            "worker: the master at {} finished its job and stopped; waiting for the next master"
                + " there",
            profile.master());
        outage = "finished";
      }
      pause(backoff.next());
      return true;
    }
    if (failure.isFinal()) {
      lock.lock();
      try {
        failed = true;
      } finally {
        lock.unlock();
      }
      runtime.forget(this);
      Worker.Exit exit =
          failure.kind() == CallFailure.Kind.TOKEN_REFUSED
              ? Worker.Exit.TOKEN_REFUSED
              : Worker.Exit.REFUSED;
      desks.forEach(desk -> desk.end(exit, failure.message()));
      return true;
    }
    if (failure.kind() == CallFailure.Kind.LINK_LOST && failuresInARow == 1) {
      log.info("worker: {}", failure.message());
      return true; // join again at once
    }
    if (failure.kind() == CallFailure.Kind.SUSPECT) {
      return onSuspect(desks, failure);
    }
    if (outage == null) {
      outage = failure.message();
      if (joinedBefore) {
        log.warn(
            "worker: lost the master: {}; reconnecting (retrying with back-off up to 5 s)",
            failure.message());
      } else {
        log.warn(
            "worker: waiting for a master at {} ({}); retrying with back-off up to 5 s (Ctrl-C"
                + " to stop)",
            profile.master(),
            failure.message());
      }
    } else {
      log.debug("worker: still no master at {}: {}", profile.master(), failure.message());
    }
    giveUpIfDue(desks, ticker.read());
    pause(backoff.next());
    return true;
  }

  /**
   * A peer took this worker's proof of the class code and gave none back: perhaps a fake master
   * collecting guesses, one per connection. It gets a guess a minute at most, then every two,
   * four…, and after {@value #SUSPECT_TRIES} such handshakes in a row the workers stop (exit 3).
   */
  private boolean onSuspect(List<TaskDesk> desks, CallFailure failure) throws InterruptedException {
    suspectInARow++;
    if (suspectInARow >= SUSPECT_TRIES) {
      lock.lock();
      try {
        failed = true;
      } finally {
        lock.unlock();
      }
      runtime.forget(this);
      String why =
          failure.message()
              + "; this happened "
              + suspectInARow
              + " times in a row, so the worker stopped: check the master's address with the"
              + " teacher (the master's banner prints the join line)";
      desks.forEach(desk -> desk.end(Worker.Exit.TOKEN_REFUSED, why));
      return true;
    }
    long minutes = 1L << (suspectInARow - 1);
    log.warn(
        "worker: {}; trying again in {} min (it stops after {} such answers)",
        failure.message(),
        minutes,
        SUSPECT_TRIES);
    pause(TimeUnit.MINUTES.toMillis(minutes));
    return true;
  }

  /** Ends workers that never joined and waited longer than they were willing to. */
  private void giveUpIfDue(List<TaskDesk> desks, long now) {
    if (outage == null) {
      return;
    }
    for (TaskDesk desk : desks) {
      Duration limit = desk.giveUpAfter();
      if (!desk.everJoined() && !limit.isZero() && now - desk.attachedAt() >= limit.toNanos()) {
        desk.end(
            Worker.Exit.UNREACHABLE,
            "gave up after "
                + Durations.format(limit)
                + " ("
                + SettingNames.of(Setting.CONNECT_TIMEOUT)
                + "): "
                + outage);
      }
    }
  }

  /** Says goodbye for stopping workers; true when the link is closed. */
  private boolean sayGoodbyes() {
    List<Goodbye> due;
    boolean close;
    lock.lock();
    try {
      due = List.copyOf(goodbyes);
      goodbyes.clear();
      close = closing;
    } finally {
      lock.unlock();
    }
    if (!due.isEmpty()) {
      List<String> ids = new ArrayList<>();
      boolean lastDesk = false;
      for (Goodbye g : due) {
        if (g.sessionId() != null) {
          ids.add(g.sessionId());
        }
        lastDesk |= g.lastDesk();
      }
      MasterService master = stub;
      String link = linkId;
      if (connected && master != null && link != null && (!ids.isEmpty() || lastDesk)) {
        try {
          master.leave(new Leave(link, ids, lastDesk));
        } catch (Exception e) {
          log.debug("worker: could not say goodbye to the master: {}", e.toString());
        }
      }
      due.forEach(g -> g.done().countDown());
    }
    if (close && codeThread != null) {
      codeThread.shutdownNow();
    }
    return close;
  }

  private <T> T call(RemoteCall<T> remote) throws LinkFailure {
    try {
      return remote.call();
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException || e instanceof SecurityException) {
        throw new LinkFailure(CallFailure.of(profile.master(), e, joinedBefore));
      }
      throw e;
    } catch (Exception e) {
      throw new LinkFailure(CallFailure.of(profile.master(), e, joinedBefore));
    }
  }

  /** Waits up to {@code millis}, or until a worker leaves or the link closes. */
  private void pause(long millis) throws InterruptedException {
    long deadline = ticker.read() + TimeUnit.MILLISECONDS.toNanos(Math.min(millis, 1L << 40));
    lock.lock();
    try {
      while (!closing && goodbyes.isEmpty()) {
        long left = deadline - ticker.read();
        if (left <= 0) {
          return;
        }
        changed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private List<TaskDesk> snapshot() {
    lock.lock();
    try {
      return List.copyOf(desks);
    } finally {
      lock.unlock();
    }
  }

  private boolean hasGoodbyes() {
    lock.lock();
    try {
      return !goodbyes.isEmpty() || closing;
    } finally {
      lock.unlock();
    }
  }

  private boolean isFailed() {
    lock.lock();
    try {
      return failed;
    } finally {
      lock.unlock();
    }
  }

  ClientProfile profile() {
    return profile;
  }

  CodeTrust trust() {
    return trust;
  }
}
