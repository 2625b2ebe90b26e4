package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.util.List;

/**
 * A worker JVM's one call for work: every session's results and room in one message. It renews the
 * leases of every session of the link. The master collects the results first, then hands out tasks,
 * waiting up to {@code waitMillis} for one when the sessions have room and none is ready (a long
 * poll).
 *
 * @param linkId the link
 * @param slots the sessions' parts (at most one per session)
 * @param waitMillis how long to wait for a task when none is ready
 * @param codeVersion the version of the master's code offers this worker last saw (0: none)
 */
public record ExchangeRequest(String linkId, List<Slot> slots, long waitMillis, long codeVersion)
    implements Serializable {

  /** The most tasks (or results) one exchange carries. */
  public static final int MAX_TASKS = 10_000;

  /** The most sessions one link carries. */
  public static final int MAX_SESSIONS = 4096;

  /** The longest an exchange may wait; well below the transport's response timeout. */
  public static final long MAX_WAIT_MILLIS = 5_000;

  public ExchangeRequest {
    Texts.checkShort("link id", linkId);
    slots = List.copyOf(slots);
    if (slots.size() > MAX_SESSIONS) {
      throw new IllegalArgumentException("an exchange for " + slots.size() + " sessions");
    }
    long results = 0;
    for (Slot slot : slots) {
      results += slot.results().size();
    }
    if (results > MAX_TASKS) {
      throw new IllegalArgumentException("an exchange with " + results + " results");
    }
    if (waitMillis < 0 || waitMillis > MAX_WAIT_MILLIS) {
      throw new IllegalArgumentException(
          "exchange wait must be 0.." + MAX_WAIT_MILLIS + " ms, was " + waitMillis);
    }
    if (codeVersion < 0) {
      throw new IllegalArgumentException("a negative code version");
    }
  }

  private Object writeReplace() {
    return Packed.of(
        Packed.EXCHANGE_REQUEST,
        out -> out.text(linkId).list(slots, Slot::write).i64(waitMillis).i64(codeVersion));
  }

  static ExchangeRequest read(Unpacker in) throws InvalidObjectException {
    return new ExchangeRequest(
        in.text(Texts.MAX_SHORT), in.list(MAX_SESSIONS, Slot::read), in.i64(), in.i64());
  }
}
