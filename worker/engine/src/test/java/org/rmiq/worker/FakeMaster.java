package org.rmiq.worker;

import java.rmi.RemoteException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.rmiq.internal.wire.CodeChunk;
import org.rmiq.internal.wire.CodeOffer;
import org.rmiq.internal.wire.CodeRequest;
import org.rmiq.internal.wire.ExchangeReply;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.FileChunk;
import org.rmiq.internal.wire.JobEvents;
import org.rmiq.internal.wire.JobPoll;
import org.rmiq.internal.wire.JobReceipt;
import org.rmiq.internal.wire.JobRequest;
import org.rmiq.internal.wire.Leave;
import org.rmiq.internal.wire.LinkReply;
import org.rmiq.internal.wire.LinkRequest;
import org.rmiq.internal.wire.MasterBusyException;
import org.rmiq.internal.wire.MasterPhase;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.internal.wire.SessionReply;
import org.rmiq.internal.wire.SessionRequest;
import org.rmiq.internal.wire.Slot;
import org.rmiq.internal.wire.SlotTasks;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.internal.wire.UnknownLinkException;
import org.rmiq.internal.wire.UploadReply;
import org.rmiq.report.StatusReport;

/**
 * A master in the test's own JVM, without RMI: a queue of tasks, the results that arrive (with the
 * session that sent each), and switches that make calls fail the ways a network or a master does.
 */
final class FakeMaster implements MasterService {
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private final Map<String, Set<String>> sessionsByLink = new HashMap<>();
  private final Map<String, String> linkOfSession = new HashMap<>();
  private final Map<Long, String> heldBy = new HashMap<>();
  private final List<Received> received = new ArrayList<>();
  private final List<Leave> leaves = new ArrayList<>();
  private final List<Long> withdraw = new ArrayList<>();
  private final List<CodeOffer> offers = new ArrayList<>();
  private final Map<String, byte[]> code = new HashMap<>();
  private final AtomicInteger links = new AtomicInteger();
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicInteger exchanges = new AtomicInteger();
  private final AtomicInteger codeFetches = new AtomicInteger();
  private String instance = "run-1";
  private MasterPhase phase = MasterPhase.RUNNING;
  private Exception failExchanges;
  private long codeVersion;
  private final List<List<String>> kindsTold = new ArrayList<>();

  /** A result as it arrived, with the session it came from. */
  record Received(String sessionId, TaskResult result) {}

  /** An exchange call as it arrived: when (nanoTime), the wait asked for, results it carried. */
  record Call(long at, long waitMillis, int results) {}

  private final List<Call> calls = new ArrayList<>();

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized void add(Task... tasks) {
    queue.addAll(List.of(tasks));
  }

  /** How many tasks wait to be handed out. */
  synchronized int waiting() {
    return queue.size();
  }

  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  synchronized Map<Long, String> values() {
    Map<Long, String> values = new HashMap<>();
    for (Received r : received) {
      values.put(r.result().taskId(), r.result().isOk() ? r.result().value() : r.result().error());
    }
    return values;
  }

  synchronized List<Leave> leaves() {
    return List.copyOf(leaves);
  }

  synchronized void finish() {
    phase = MasterPhase.FINISHED;
  }

  /** Every exchange fails with {@code e} until cleared with null. */
  synchronized void failExchanges(Exception e) {
    failExchanges = e;
  }

  /** Forgets every link and session, as a master does that expired them. */
  synchronized void forgetLinks() {
    sessionsByLink.clear();
    linkOfSession.clear();
  }

  /** Starts a new run: links, sessions and leases forgotten. */
  synchronized void restart() {
    forgetLinks();
    heldBy.clear();
    instance = instance + "'";
  }

  synchronized void withdraw(long taskId) {
    withdraw.add(taskId);
  }

  synchronized void offer(CodeOffer offer, byte[] jar) {
    offers.add(offer);
    code.put(offer.sha256(), jar);
    codeVersion++;
  }

  synchronized String heldBy(long taskId) {
    return heldBy.get(taskId);
  }

  synchronized List<List<String>> kindsTold() {
    return List.copyOf(kindsTold);
  }

  int links() {
    return links.get();
  }

  int sessions() {
    return sessions.get();
  }

  int exchanges() {
    return exchanges.get();
  }

  int codeFetches() {
    return codeFetches.get();
  }

  @Override
  public synchronized LinkReply openLink(LinkRequest request) {
    String id = "link-" + links.incrementAndGet();
    sessionsByLink.put(id, new HashSet<>());
    return new LinkReply(id, instance, 1000, 10_000, false, List.of());
  }

  @Override
  public synchronized SessionReply openSession(SessionRequest request) throws UnknownLinkException {
    Set<String> mine = sessionsByLink.get(request.linkId());
    if (mine == null) {
      throw new UnknownLinkException();
    }
    String id = "session-" + sessions.incrementAndGet();
    mine.add(id);
    linkOfSession.put(id, request.linkId());
    kindsTold.add(request.kinds());
    return new SessionReply(id, request.workerName());
  }

  @Override
  public synchronized ExchangeReply exchange(ExchangeRequest request)
      throws RemoteException, UnknownLinkException, MasterBusyException {
    exchanges.incrementAndGet();
    calls.add(
        new Call(
            System.nanoTime(),
            request.waitMillis(),
            request.slots().stream().mapToInt(slot -> slot.results().size()).sum()));
    if (failExchanges instanceof RemoteException e) {
      throw e;
    } else if (failExchanges instanceof UnknownLinkException e) {
      throw e;
    } else if (failExchanges instanceof MasterBusyException e) {
      throw e;
    }
    Set<String> mine = sessionsByLink.get(request.linkId());
    if (mine == null) {
      throw new UnknownLinkException();
    }
    List<SlotTasks> given = new ArrayList<>();
    int handedOut = 0;
    List<String> unknown = new ArrayList<>();
    for (Slot slot : request.slots()) {
      for (TaskResult result : slot.results()) {
        if (slot.sessionId().equals(heldBy.get(result.taskId()))) {
          received.add(new Received(slot.sessionId(), result));
          heldBy.remove(result.taskId());
        }
      }
      if (slot.kinds() != null) {
        kindsTold.add(slot.kinds());
      }
      if (slot.code() != null) {
        loadedBySession.put(slot.sessionId(), slot.code());
      }
      if (!mine.contains(slot.sessionId())) {
        unknown.add(slot.sessionId());
        continue;
      }
      List<Task> tasks = new ArrayList<>();
      while (tasks.size() < slot.room()
          && handedOut < ExchangeRequest.MAX_TASKS
          && !queue.isEmpty()
          && phase == MasterPhase.RUNNING) {
        Task task = queue.peekFirst();
        if (task.code() != null
            && !loadedBySession.getOrDefault(slot.sessionId(), List.of()).contains(task.code())) {
          break;
        }
        queue.removeFirst();
        heldBy.put(task.id(), slot.sessionId());
        tasks.add(task);
        handedOut++;
      }
      if (!tasks.isEmpty()) {
        given.add(new SlotTasks(slot.sessionId(), tasks));
      }
    }
    List<Long> withdrawn = List.copyOf(withdraw);
    withdraw.clear();
    return new ExchangeReply(
        phase,
        given,
        unknown,
        withdrawn,
        codeVersion,
        request.codeVersion() == codeVersion ? null : List.copyOf(offers));
  }

  /** Sessions told the master which code they loaded; remembered per session. */
  private final Map<String, List<String>> loadedBySession = new HashMap<>();

  @Override
  public synchronized void leave(Leave leave) {
    leaves.add(leave);
    Set<String> mine = sessionsByLink.get(leave.linkId());
    if (mine != null) {
      leave.sessionIds().forEach(mine::remove);
      if (leave.link()) {
        sessionsByLink.remove(leave.linkId());
      }
    }
  }

  @Override
  public UploadReply upload(FileChunk chunk) {
    return UploadReply.refused("this fake collects no files", true);
  }

  @Override
  public synchronized CodeChunk fetchCode(CodeRequest request) {
    codeFetches.incrementAndGet();
    byte[] jar = code.get(request.sha256());
    int from = (int) request.offset();
    int to = Math.min(jar.length, from + 1000);
    return new CodeChunk(java.util.Arrays.copyOfRange(jar, from, to), to == jar.length);
  }

  @Override
  public StatusReport status() throws RemoteException {
    throw new RemoteException("not in this fake");
  }

  @Override
  public JobReceipt submitJob(JobRequest request) throws RemoteException {
    throw new RemoteException("not in this fake");
  }

  @Override
  public JobEvents jobEvents(JobPoll poll) throws RemoteException {
    throw new RemoteException("not in this fake");
  }

  @Override
  public org.rmiq.internal.wire.CommandReply cancelJob(long jobId) throws RemoteException {
    throw new RemoteException("not in this fake");
  }
}
