package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;

/**
 * The master's answer to a submitted job: queued (with a ticket to follow it by) or refused.
 *
 * @param ticket the job's ticket (a secret: it lets its holder follow and cancel the job), or null
 *     when refused
 * @param jobId the job's number, or 0 when refused
 * @param title a short description, e.g. {@code square 1000 number(s)}
 * @param tasks how many tasks it has
 * @param queuedBehind jobs that run before it
 * @param refusal why it was refused, in the words the master command would use; else null
 * @param reason what kind of refusal: one of the constants ({@link #BAD_JOB}…), 0 when queued
 */
public record JobReceipt(
    String ticket,
    long jobId,
    String title,
    long tasks,
    int queuedBehind,
    String refusal,
    int reason)
    implements Serializable {

  /** The job itself is wrong: bad words, a missing file, too big, a kind it may not use. */
  public static final int BAD_JOB = 1;

  /** The master takes no jobs from others (it is not a session master). */
  public static final int NOT_A_SESSION = 2;

  /** The connection did not authenticate with the teacher key, which this needs. */
  public static final int NEEDS_TEACHER_KEY = 3;

  /** The master could not record the job (its journal). */
  public static final int CANNOT_RECORD = 4;

  /** A student's computer has a job queued already (one at a time). */
  public static final int QUOTA = 5;

  static final int LAST_REASON = QUOTA;

  public JobReceipt {
    if ((ticket == null) == (refusal == null)) {
      throw new IllegalArgumentException("a job receipt is a ticket or a refusal");
    }
    if ((refusal == null) != (reason == 0) || reason < 0 || reason > LAST_REASON) {
      throw new IllegalArgumentException("a job receipt with refusal reason " + reason);
    }
  }

  public static JobReceipt queued(String ticket, long jobId, String title, long tasks, int behind) {
    return new JobReceipt(ticket, jobId, title, tasks, behind, null, 0);
  }

  public static JobReceipt refused(int reason, String why) {
    return new JobReceipt(null, 0, "", 0, 0, why, reason);
  }

  private Object writeReplace() {
    return Packed.of(
        Packed.JOB_RECEIPT,
        out ->
            out.text(ticket)
                .i64(jobId)
                .text(title)
                .i64(tasks)
                .i32(queuedBehind)
                .text(refusal)
                .i32(reason));
  }

  static JobReceipt read(Unpacker in) throws InvalidObjectException {
    return new JobReceipt(
        in.text(Texts.MAX_SHORT),
        in.i64(),
        in.text(1024),
        in.i64(),
        in.i32(),
        in.text(64 * 1024),
        in.i32());
  }
}
