package org.rmiq.internal.wire;

import java.rmi.Remote;
import java.rmi.RemoteException;
import org.rmiq.report.StatusReport;

/**
 * The master's remote interface. Workers pull tasks and push results; the master never calls a
 * worker, so workers export nothing and need no open port.
 *
 * <p>A worker JVM opens one link and a session per worker on it; then one call, {@link #exchange},
 * carries every session's results in and their tasks out, and renews every lease of the link. A
 * result counts only from a session that holds (or held) its task's lease; results are
 * de-duplicated by task id, so sending one twice is harmless. Every argument and reply is a packed
 * record ({@code Packed}), so nothing else is ever deserialized.
 */
public interface MasterService extends Remote {

  /** The name the service is bound under in the master's registry. */
  String BINDING = "rmiq-master";

  /** The wire protocol version; a worker speaking another is refused when it opens its link. */
  int PROTOCOL = 6;

  /** Opens a worker JVM's link. */
  LinkReply openLink(LinkRequest request) throws RemoteException, MasterBusyException;

  /** Starts a worker session on a link. */
  SessionReply openSession(SessionRequest request)
      throws RemoteException, UnknownLinkException, MasterBusyException;

  /** Collects results, then leases tasks (waiting up to the request's wait for one). */
  ExchangeReply exchange(ExchangeRequest request)
      throws RemoteException, UnknownLinkException, MasterBusyException;

  /** Ends sessions (and the link); their tasks go back to the queue at once. */
  void leave(Leave leave) throws RemoteException;

  /** Receives one chunk of a file a task produced, from the session holding the task. */
  UploadReply upload(FileChunk chunk) throws RemoteException, UnknownLinkException;

  /** A piece of offered code, for a worker that accepts code. */
  CodeChunk fetchCode(CodeRequest request) throws RemoteException, UnknownLinkException;

  /** What the master is doing: queue depths, workers, jobs, throughput, recent results. */
  StatusReport status() throws RemoteException;

  /** Queues a job on a session master, or says why not. */
  JobReceipt submitJob(JobRequest request) throws RemoteException;

  /** What a submitted job did since the last poll (or cancels it). */
  JobEvents jobEvents(JobPoll poll) throws RemoteException;

  /** Cancels job {@code jobId}: for connections that proved the teacher key. */
  CommandReply cancelJob(long jobId) throws RemoteException;
}
