package org.rmiq.worker;

import com.google.common.base.Ticker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.rmiq.internal.transport.CallFailure;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.wire.ExchangeReply;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.FileChunk;
import org.rmiq.internal.wire.Leave;
import org.rmiq.internal.wire.LinkReply;
import org.rmiq.internal.wire.LinkRequest;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.internal.wire.SessionReply;
import org.rmiq.util.OutOfMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker JVM's link to one master, shared by every worker ({@link TaskDesk}) in the JVM that
 * joins that master: one thread (the pump) and one call at a time, {@code exchange}, which carries
 * every session's results in and their tasks out and renews every lease of the link. The pump
 * connects, opens sessions, says goodbyes and exchanges; the decisions are its parts':
 *
 * <ul>
 *   <li>{@link LinkDemand}: what the workers want from the next exchange, and filling it;
 *   <li>{@link ExchangeTiming}: when to call (a pure function of that demand and the time);
 *   <li>{@link FailurePolicy}: what a failed call means (stop, join again, back off);
 *   <li>{@link CodeFetcher}: fetching the code the master offers, in the background.
 * </ul>
 *
 * <p>An idle link waits inside the master (a long poll), so a new task reaches it at once and an
 * idle JVM costs the master about one call a second.
 */
final class MasterLink {
  private static final Logger log = LoggerFactory.getLogger(MasterLink.class);

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

  private final ClientProfile profile;
  private final CodeTrust trust;
  private final Connector connector;
  private final Ticker ticker;
  private final String localHost;
  private final WorkerRuntime runtime;
  private final ShippedCode shipped;
  private final Thread pump;
  private final LinkRoster roster;

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
  private final ExchangeHistory history = new ExchangeHistory();

  private final LinkDemand demand = new LinkDemand();
  private final CodeFetcher code;
  private final FailurePolicy failures;

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
    this.roster = new LinkRoster(ticker);
    this.code = new CodeFetcher(trust, shipped, profile.master(), this::wake);
    this.failures = new FailurePolicy(profile.master());
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
    joinsWanted = true; // before the pump can see the worker
    return roster.add(desk, () -> desk.attachedTo(this, ticker.read()));
  }

  /** Removes a worker; true when it was the last (the link then closes). */
  boolean remove(TaskDesk desk, CountDownLatch done) {
    return roster.remove(desk, done);
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

  /** A result is ready: wakes the pump if it would otherwise look later than a linger from now. */
  void nudge() {
    roster.nudge();
  }

  /** Something changed: a worker about to idle, a goodbye, new code. Cheap when not waiting. */
  void wake() {
    roster.wake();
  }

  /** A worker wants attention: results to send, or room for tasks. Called once until filled. */
  void attention(TaskDesk desk) {
    demand.attention(desk);
  }

  /** A worker's first waiting result became ready at {@code at}. */
  void resultReady(long at) {
    demand.resultReady(at);
    nudge();
  }

  /** A worker's thread is about to idle. */
  void starving() {
    demand.urgent();
    wake();
  }

  /** Tasks held on the link changed by {@code delta}. */
  void held(int delta) {
    if (demand.held(delta)) {
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
    if (roster.isFailed()) {
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
    code.harvest();
    LinkDemand.Exchange exchange = awaitReason();
    if (exchange != null) {
      exchange(exchange);
      failures.exchanged();
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
      code.reset();
    }
    instance = reply.instance();
    linkId = reply.linkId();
    previousLinkId = "";
    collectFiles = reply.collectFiles();
    servedHosts = reply.servedHosts();
    history.connected(reply.heartbeatMillis(), ticker.read());
    joinedBefore = true;
    connected = true;
    failures.connected();
    if (!kept) {
      // A new link: no sessions yet, and code is fetched (and its signature checked) again.
      shipped.clear();
      code.reset();
      for (TaskDesk desk : snapshot()) {
        desk.sessionLost(null);
      }
    } // else the master kept our link: the sessions, their tasks and leases carry on
  }

  /** Waits until an exchange is worth making; null when goodbyes, joins or closing come first. */
  private LinkDemand.Exchange awaitReason() throws InterruptedException {
    while (true) {
      roster.deciding(); // nudges while deciding make it look again
      if (roster.hasGoodbyes() || joinsWanted) {
        return null;
      }
      long now = ticker.read();
      if (history.finishedSeen()) {
        snapshot().forEach(desk -> desk.masterFinished("the master finished its job"));
      }
      long generation = shipped.generation();
      if (generation != toldGeneration) {
        toldGeneration = generation; // new code: every worker tells its kinds
        snapshot().forEach(TaskDesk::flag);
      }
      ExchangeTiming.Decision decision = ExchangeTiming.decide(history.state(demand), now);
      if (decision.go()) {
        return demand.fill(instance, decision.waitMillis(), ticker.read());
      }
      if (failures.outage() != null) {
        giveUpIfDue(snapshot(), now);
      }
      roster.sleep(now, Math.max(100_000, decision.nextAt() - now));
    }
  }

  private void exchange(LinkDemand.Exchange exchange) throws LinkFailure {
    history.calling(ticker.read());
    ExchangeReply reply;
    try {
      ExchangeRequest request =
          new ExchangeRequest(linkId, exchange.slots(), exchange.waitMillis(), code.version());
      reply = call(() -> stub.exchange(request));
    } catch (LinkFailure | RuntimeException e) {
      exchange.failed();
      throw e;
    }
    history.answered(reply, exchange.asks(), exchange.waitMillis(), ticker.read());
    exchange.answered(reply, instance, bySession, this::snapshot);
    if (reply.offers() != null) {
      code.offered(reply.codeVersion(), reply.offers(), stub, linkId);
    }
    if (history.finishedSeen()) {
      snapshot().forEach(desk -> desk.masterFinished("the master finished its job"));
    }
  }

  // ------------------------------------------------------------------ failures

  /**
   * Carries out the failure policy's verdict on a failed call; false when the link is done.
   *
   * @throws InterruptedException when the JVM stops during the back-off
   */
  private boolean onFailure(CallFailure failure) throws InterruptedException {
    List<TaskDesk> desks = snapshot();
    if (failure.kind() != CallFailure.Kind.BUSY) {
      // A busy master still knows the link; anything else reconnects, asking the master to keep
      // the link (it may still run: a Wi-Fi roam, a broken TLS connection) unless it lost it.
      connected = false;
      stub = null;
      previousLinkId = failure.kind() == CallFailure.Kind.LINK_LOST || linkId == null ? "" : linkId;
      linkId = null;
    }
    boolean anyStays = desks.stream().anyMatch(desk -> !desk.exitsWhenDone());
    FailurePolicy.Verdict verdict =
        failures.onFailure(failure, history.finishedSeen(), joinedBefore, anyStays);
    switch (verdict.action()) {
      case RETRY_NOW -> {
        return true;
      }
      case STOP -> {
        roster.fail();
        runtime.forget(this);
        desks.forEach(desk -> desk.end(verdict.exit(), verdict.why()));
        return true;
      }
      case MASTER_FINISHED -> {
        // The master stopped after finishing its job: a worker that exits when done is done.
        history.finishHandled();
        for (TaskDesk desk : desks) {
          if (desk.exitsWhenDone()) {
            desk.end(Worker.Exit.JOB_FINISHED, "the master finished its job and stopped");
          }
        }
      }
      case RETRY_LATER -> giveUpIfDue(desks, ticker.read());
    }
    pause(verdict.pauseMillis());
    return true;
  }

  /** Ends workers that never joined and waited longer than they were willing to. */
  private void giveUpIfDue(List<TaskDesk> desks, long now) {
    if (failures.outage() == null) {
      return;
    }
    for (TaskDesk desk : desks) {
      if (!desk.everJoined()) {
        String why = failures.giveUp(desk.giveUpAfter(), now - desk.attachedAt());
        if (why != null) {
          desk.end(Worker.Exit.UNREACHABLE, why);
        }
      }
    }
  }

  /** Says goodbye for stopping workers; true when the link is closed. */
  private boolean sayGoodbyes() {
    LinkRoster.Due due = roster.takeGoodbyes();
    if (!due.goodbyes().isEmpty()) {
      List<String> ids = due.sessionIds();
      boolean lastDesk = due.lastDesk();
      MasterService master = stub;
      String link = linkId;
      if (connected && master != null && link != null && (!ids.isEmpty() || lastDesk)) {
        try {
          master.leave(new Leave(link, ids, lastDesk));
        } catch (Exception e) {
          log.debug("worker: could not say goodbye to the master: {}", e.toString());
        }
      }
      due.said();
    }
    if (due.close()) {
      code.close();
    }
    return due.close();
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

  private void pause(long millis) throws InterruptedException {
    roster.pause(millis);
  }

  private List<TaskDesk> snapshot() {
    return roster.snapshot();
  }

  ClientProfile profile() {
    return profile;
  }

  CodeTrust trust() {
    return trust;
  }
}
