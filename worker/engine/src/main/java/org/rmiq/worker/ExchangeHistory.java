package org.rmiq.worker;

import java.util.concurrent.TimeUnit;
import org.rmiq.internal.wire.ExchangeReply;
import org.rmiq.internal.wire.MasterPhase;

/**
 * What a link's last calls said, for {@link ExchangeTiming}: when the last call started, whether it
 * asked for tasks and got none (and came back early from a long poll), whether the master finished
 * its job, and its heartbeat. Used by the link's pump thread only.
 */
final class ExchangeHistory {
  private long lastCallAt;
  private boolean lastGaveNothing;

  /** The last call asked for tasks, got none, and came back before half the wait it asked for. */
  private boolean emptyEarly;

  private boolean finishedSeen;
  private long heartbeatNanos = TimeUnit.SECONDS.toNanos(1);

  /** A link was opened at {@code now}: nothing was asked on it yet. */
  void connected(long heartbeatMillis, long now) {
    heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
    finishedSeen = false;
    lastGaveNothing = false;
    emptyEarly = false;
    lastCallAt = now;
  }

  /** An exchange starts at {@code now}. */
  void calling(long now) {
    lastCallAt = now;
  }

  /**
   * The master answered an exchange at {@code now}.
   *
   * @param asked it asked for tasks (a call that only delivered results got none because it wanted
   *     none: that is not "nothing to do")
   * @param waitMillis how long it let the master hold it waiting for a task
   */
  void answered(ExchangeReply reply, boolean asked, long waitMillis, long now) {
    lastGaveNothing = asked && reply.tasks().isEmpty();
    emptyEarly =
        lastGaveNothing
            && waitMillis > 0
            && now - lastCallAt < TimeUnit.MILLISECONDS.toNanos(waitMillis) / 2;
    finishedSeen = reply.phase() == MasterPhase.FINISHED;
  }

  /** Whether the master said it finished its job. */
  boolean finishedSeen() {
    return finishedSeen;
  }

  /** The master that finished stopped: its finish was dealt with. */
  void finishHandled() {
    finishedSeen = false;
  }

  /** The timing's inputs: these with what the workers want. */
  ExchangeTiming.State state(LinkDemand demand) {
    return demand.state(finishedSeen, emptyEarly, lastGaveNothing, lastCallAt, heartbeatNanos);
  }
}
