package org.rmiq.internal.wire;

import java.io.Serializable;

/**
 * The master's answer to a join: the session every later call names, and its timing rules.
 *
 * @param sessionId the worker session; tasks taken are leased to it
 * @param workerName the name the master shows for this worker (unique among its workers)
 * @param heartbeatMillis how often the worker should renew its leases
 * @param leaseMillis how long a lease lasts without renewal before its tasks are re-queued
 * @param taskTimeoutMillis how long one attempt at a task may run before the worker interrupts it
 *     and reports it failed; 0 for no limit
 * @param collectFiles whether the master collects the files tasks produce ({@code --collect}): the
 *     worker then sends each one with {@link MasterService#upload} before its result
 */
public record JoinReply(
    String sessionId,
    String workerName,
    long heartbeatMillis,
    long leaseMillis,
    long taskTimeoutMillis,
    boolean collectFiles)
    implements Serializable {

  public JoinReply {
    Texts.checkShort("session id", sessionId);
    Texts.checkShort("worker name", workerName);
    if (heartbeatMillis <= 0 || leaseMillis <= heartbeatMillis) {
      throw new IllegalArgumentException(
          "heartbeat "
              + heartbeatMillis
              + " ms must be positive and shorter than the lease "
              + leaseMillis
              + " ms");
    }
    if (taskTimeoutMillis < 0) {
      throw new IllegalArgumentException("task timeout must be >= 0, was " + taskTimeoutMillis);
    }
  }
}
