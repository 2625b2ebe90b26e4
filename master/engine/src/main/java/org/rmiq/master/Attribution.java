package org.rmiq.master;

import java.util.concurrent.TimeUnit;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.report.JobTimeline;
import org.rmiq.report.TaskOutcome;

/**
 * Who did what: an attempt's span on its job's timeline, a result counted for its worker's row and
 * its job's shares. Pure bookkeeping on the records it is given; the {@link TaskBoard} calls it
 * under the dispatcher's lock.
 */
final class Attribution {
  private Attribution() {}

  /** What an attempt's result makes of its span on the timeline. */
  static JobTimeline.State spanState(TaskEntry entry, TaskResult result, Registry.SessionRec by) {
    if (result.declined()) {
      return JobTimeline.State.DECLINED;
    }
    if (!result.isOk()) {
      return JobTimeline.State.FAILED;
    }
    return entry.backupHolders != null && entry.backupHolders.contains(by)
        ? JobTimeline.State.BACKUP
        : JobTimeline.State.OK;
  }

  /** The outcome a final result makes. */
  static TaskOutcome.State outcomeState(TaskResult result) {
    return result.isOk() ? TaskOutcome.State.OK : TaskOutcome.State.FAILED;
  }

  /** The most of a result's wait on its worker the timeline believes (an outage's worth). */
  static final long MOST_WAITED_MILLIS = TimeUnit.HOURS.toMillis(1);

  /**
   * When the attempt behind {@code result} ended on the master's clock: when it arrived, less how
   * long it waited on its worker for an exchange (at most {@link #MOST_WAITED_MILLIS}; a peer's
   * claim can move only its own spans, and never past the job's start).
   */
  static long endedAt(TaskResult result, long arrivedNanos) {
    return arrivedNanos - Math.min(result.waitedMillis(), MOST_WAITED_MILLIS) * 1_000_000;
  }

  /** Records an attempt that ended at {@code now} after {@code millis} on its job's timeline. */
  static void span(
      TaskEntry entry,
      Registry.SessionRec by,
      int lane,
      long now,
      long millis,
      JobTimeline.State state) {
    entry.job.timeline().add(entry.id(), by.row.name, lane, now, millis, state);
  }

  /** Records the copy {@code holder} was running, since it was leased, when it lost it at now. */
  static void heldUntil(
      long now, TaskEntry entry, Registry.SessionRec holder, JobTimeline.State state) {
    span(entry, holder, -1, now, Math.max(0, (now - entry.leasedAt) / 1_000_000), state);
  }

  /** Counts a result for its worker's row and its job's shares. */
  static void credit(Registry.SessionRec by, Job job, TaskResult result) {
    if (result.isOk()) {
      by.row.done++;
    } else {
      by.row.failed++;
    }
    by.row.busyMillis += result.millis();
    job.shares.add(by.row.name);
  }
}
