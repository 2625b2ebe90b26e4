package org.rmiq.internal.wire;

import java.io.Serializable;
import java.util.List;

/**
 * A worker asking to join: who it is and how much it can run at once.
 *
 * @param protocol the wire protocol version the worker speaks ({@link MasterService#PROTOCOL})
 * @param workerName the name the worker wants to be shown as (the master may add a suffix)
 * @param host the worker's host name, for people reading the master's output
 * @param threads how many tasks the worker runs at once
 * @param kinds the task kinds the worker runs; the master hands it only those
 */
public record JoinRequest(
    int protocol, String workerName, String host, int threads, List<String> kinds)
    implements Serializable {

  /** The most task kinds one worker may announce. */
  public static final int MAX_KINDS = 256;

  public JoinRequest {
    kinds = List.copyOf(kinds);
    if (kinds.isEmpty() || kinds.size() > MAX_KINDS) {
      throw new IllegalArgumentException(
          "a worker must run 1.." + MAX_KINDS + " task kinds," + " announced " + kinds.size());
    }
    kinds.forEach(Task::checkKind);
    Texts.checkShort("worker name", workerName);
    Texts.checkShort("worker host", host);
    if (threads < 1 || threads > 4096) {
      throw new IllegalArgumentException("worker threads must be 1..4096, was " + threads);
    }
  }
}
