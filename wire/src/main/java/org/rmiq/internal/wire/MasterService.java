package org.rmiq.internal.wire;

import java.rmi.Remote;
import java.rmi.RemoteException;

/**
 * The master's remote interface: workers pull tasks and push results; the master never calls a
 * worker, so workers export nothing and need no open port.
 *
 * <p>Delivery: {@link #take} leases the tasks it returns to the calling session; a result in {@link
 * #report} acknowledges its task. Results are de-duplicated by task id, so reporting the same
 * result twice is harmless. Calls are coarse (batches) because each costs a network round trip.
 */
public interface MasterService extends Remote {

  /** The name the service is bound under in the master's registry. */
  String BINDING = "rmiq-master";

  /** The wire protocol version; a worker speaking another is refused at join. */
  int PROTOCOL = 2;

  /** Starts a worker session. */
  JoinReply join(JoinRequest request) throws RemoteException;

  /**
   * Collects the results the request carries, then leases up to {@code max} tasks to the session,
   * waiting up to {@code waitMillis} for one. If the session is unknown the results still count,
   * and the call then throws.
   */
  TaskBatch take(TakeRequest request) throws RemoteException, UnknownSessionException;

  /** Acknowledges tasks with their results; unknown or already-collected ids are discarded. */
  ReportReply report(ResultBatch batch) throws RemoteException, UnknownSessionException;

  /**
   * Receives one chunk of a file a task produced, when the master collects files ({@link
   * JoinReply#collectFiles}). Chunks of a file come in order; the last one is checked against its
   * SHA-256 and the file is stored.
   *
   * @return the name the master stored the file under, once the last chunk arrived; else null
   * @throws IllegalArgumentException when the file is refused for good: the master does not collect
   *     files, the task is not open, or the file is too large
   * @throws IllegalStateException when the file could not be kept this time (a chunk out of order,
   *     a SHA-256 mismatch, a storage error); sending it again may succeed
   */
  String upload(FileChunk chunk) throws RemoteException, UnknownSessionException;

  /** Renews the session's leases and tells the master's phase. */
  MasterPhase heartbeat(String sessionId) throws RemoteException, UnknownSessionException;

  /** What the master is doing: queue depths, workers, throughput, recent results. */
  StatusReport status() throws RemoteException;

  /** Ends the session; tasks it still holds are re-queued at once. */
  void leave(String sessionId) throws RemoteException;
}
