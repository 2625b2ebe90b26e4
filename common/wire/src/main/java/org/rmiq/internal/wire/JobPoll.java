package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;

/**
 * A submitter asking what its job did since it last asked (a long poll), or cancelling it.
 *
 * @param ticket the job's ticket
 * @param max the most outcomes to return
 * @param waitMillis how long to wait for the first one
 * @param cancel whether to cancel the job (Ctrl-C on the submitter): its tasks are withdrawn
 */
public record JobPoll(String ticket, int max, long waitMillis, boolean cancel)
    implements Serializable {

  public JobPoll {
    Texts.checkShort("job ticket", ticket);
    if (max < 1 || max > ExchangeRequest.MAX_TASKS) {
      throw new IllegalArgumentException("a job poll for " + max + " outcomes");
    }
    if (waitMillis < 0 || waitMillis > ExchangeRequest.MAX_WAIT_MILLIS) {
      throw new IllegalArgumentException("a job poll waiting " + waitMillis + " ms");
    }
  }

  private Object writeReplace() {
    return Packed.of(
        Packed.JOB_POLL, out -> out.text(ticket).i32(max).i64(waitMillis).bool(cancel));
  }

  static JobPoll read(Unpacker in) throws InvalidObjectException {
    return new JobPoll(in.text(Texts.MAX_SHORT), in.i32(), in.i64(), in.bool());
  }
}
