package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.util.List;

/**
 * A worker session joining over its JVM's link: who it is and how much it can run at once.
 *
 * @param linkId the link it joins over
 * @param workerName the name it wants to be shown as (the master may add a suffix)
 * @param threads how many tasks it runs at once
 * @param kinds the task kinds it runs; the master hands it only those
 */
public record SessionRequest(String linkId, String workerName, int threads, List<String> kinds)
    implements Serializable {

  /** The most task kinds one worker may announce. */
  public static final int MAX_KINDS = 256;

  /** The most threads a session may declare. */
  public static final int MAX_THREADS = 4096;

  public SessionRequest {
    Texts.checkShort("link id", linkId);
    checkWorkerName(workerName);
    kinds = List.copyOf(kinds);
    if (kinds.isEmpty() || kinds.size() > MAX_KINDS) {
      throw new IllegalArgumentException(
          "a worker must run 1.." + MAX_KINDS + " task kinds, announced " + kinds.size());
    }
    kinds.forEach(Task::checkKind);
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException(
          "worker threads must be 1.." + MAX_THREADS + ", was " + threads);
    }
  }

  /** Throws unless {@code name} can name a worker: 1 to 256 characters, no control characters. */
  public static String checkWorkerName(String name) {
    return Texts.checkName("worker name", name);
  }

  private Object writeReplace() {
    return Packed.of(
        Packed.SESSION_REQUEST, out -> out.text(linkId).text(workerName).i32(threads).texts(kinds));
  }

  static SessionRequest read(Unpacker in) throws InvalidObjectException {
    return new SessionRequest(
        in.text(Texts.MAX_SHORT), in.text(Texts.MAX_SHORT), in.i32(), in.texts(MAX_KINDS, 32));
  }
}
