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
 * @param exitCode the exit code a refusal means (2: a bad job, 4: not a session master)
 */
public record JobReceipt(
    String ticket,
    long jobId,
    String title,
    long tasks,
    int queuedBehind,
    String refusal,
    int exitCode)
    implements Serializable {

  public JobReceipt {
    if ((ticket == null) == (refusal == null)) {
      throw new IllegalArgumentException("a job receipt is a ticket or a refusal");
    }
  }

  public static JobReceipt queued(String ticket, long jobId, String title, long tasks, int behind) {
    return new JobReceipt(ticket, jobId, title, tasks, behind, null, 0);
  }

  public static JobReceipt refused(String why, int exitCode) {
    return new JobReceipt(null, 0, "", 0, 0, why, exitCode);
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
                .i32(exitCode));
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
