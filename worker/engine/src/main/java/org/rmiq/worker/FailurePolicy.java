package org.rmiq.worker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.rmiq.internal.transport.CallFailure;
import org.rmiq.net.HostPort;
import org.rmiq.util.Durations;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed call to the master means for a link, and how long it waits before trying again. It
 * keeps the counts (failures and suspect handshakes in a row, the current outage) and says each
 * outage once; the link carries out the verdict. No clocks and no threads: tested by feeding it
 * failures.
 *
 * <ul>
 *   <li>a refused token, a port that is not an rmiq master, another version: every worker on the
 *       link stops (exit 3 or 4);
 *   <li>the master forgot the link (it expired, the master restarted): join again at once;
 *   <li>unreachable or busy: retry with capped back-off, saying so once per outage;
 *   <li>the master left after finishing its job: a worker that exits when done is done;
 *   <li>a peer that takes the worker's proof and gives none (a fake master collecting guesses):
 *       one, then two minutes' wait, and after {@value #SUSPECT_TRIES} in a row the workers stop.
 * </ul>
 */
final class FailurePolicy {
  private static final Logger log = LoggerFactory.getLogger(FailurePolicy.class);

  /** After this many suspect handshakes in a row, the workers stop. */
  static final int SUSPECT_TRIES = 3;

  /** What the link does about a failure. */
  enum Action {
    /** Join again at once. */
    RETRY_NOW,
    /** Wait {@code pauseMillis}, then try again. */
    RETRY_LATER,
    /** The master finished its job and stopped: workers that exit when done end; wait, retry. */
    MASTER_FINISHED,
    /** Trying again cannot help: every worker ends with {@code exit}. */
    STOP
  }

  /** The verdict on one failure. */
  record Verdict(Action action, long pauseMillis, Worker.Exit exit, String why) {
    static Verdict retryNow() {
      return new Verdict(Action.RETRY_NOW, 0, null, null);
    }

    static Verdict later(long millis) {
      return new Verdict(Action.RETRY_LATER, millis, null, null);
    }

    static Verdict stop(Worker.Exit exit, String why) {
      return new Verdict(Action.STOP, 0, exit, why);
    }
  }

  private final HostPort master;
  private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5));
  private int failuresInARow;
  private int suspectInARow;
  private String outage;

  FailurePolicy(HostPort master) {
    this.master = master;
  }

  /**
   * Judges one failed call.
   *
   * @param finishedSeen the master had said it finished its job
   * @param joinedBefore this link was connected once (the words differ for a first join)
   * @param anyStays some worker on the link stays when its master finishes
   */
  Verdict onFailure(
      CallFailure failure, boolean finishedSeen, boolean joinedBefore, boolean anyStays) {
    failuresInARow++;
    boolean gone =
        failure.kind() == CallFailure.Kind.UNREACHABLE
            || failure.kind() == CallFailure.Kind.LINK_LOST;
    if (finishedSeen && gone) {
      if (anyStays) {
        log.info(
            "worker: the master at {} finished its job and stopped; waiting for the next master"
                + " there",
            master);
        outage = "finished";
      }
      return new Verdict(Action.MASTER_FINISHED, backoff.next(), null, null);
    }
    if (failure.isFinal()) {
      Worker.Exit exit =
          failure.kind() == CallFailure.Kind.TOKEN_REFUSED
              ? Worker.Exit.TOKEN_REFUSED
              : Worker.Exit.REFUSED;
      return Verdict.stop(exit, failure.message());
    }
    if (failure.kind() == CallFailure.Kind.LINK_LOST && failuresInARow == 1) {
      log.info("worker: {}", failure.message());
      return Verdict.retryNow();
    }
    if (failure.kind() == CallFailure.Kind.SUSPECT) {
      return onSuspect(failure);
    }
    if (outage == null) {
      outage = failure.message();
      if (joinedBefore) {
        log.warn(
            "worker: lost the master: {}; reconnecting (retrying with back-off up to 5 s)",
            failure.message());
      } else {
        log.warn(
            "worker: waiting for a master at {} ({}); retrying with back-off up to 5 s (Ctrl-C"
                + " to stop)",
            master,
            failure.message());
      }
    } else {
      log.debug("worker: still no master at {}: {}", master, failure.message());
    }
    return Verdict.later(backoff.next());
  }

  private Verdict onSuspect(CallFailure failure) {
    suspectInARow++;
    if (suspectInARow >= SUSPECT_TRIES) {
      return Verdict.stop(
          Worker.Exit.TOKEN_REFUSED,
          failure.message()
              + "; this happened "
              + suspectInARow
              + " times in a row, so the worker stopped: check the master's address with the"
              + " teacher (the master's banner prints the join line)");
    }
    long minutes = 1L << (suspectInARow - 1);
    log.warn(
        "worker: {}; trying again in {} min (it stops after {} such answers)",
        failure.message(),
        minutes,
        SUSPECT_TRIES);
    return Verdict.later(TimeUnit.MINUTES.toMillis(minutes));
  }

  /** The link connected: a peer that confirmed the key is no fake. */
  void connected() {
    suspectInARow = 0;
    if (outage != null) {
      log.info("worker: reconnected to the master at {}", master);
      outage = null;
    }
  }

  /** An exchange went through: the counts start again. */
  void exchanged() {
    failuresInARow = 0;
    suspectInARow = 0;
    backoff.reset();
    if (outage != null) {
      log.info("worker: the master at {} answers again", master);
      outage = null;
    }
  }

  /** Why the master cannot be reached now; null when it can. */
  String outage() {
    return outage;
  }

  /**
   * Why a worker that never joined and waited {@code waited} nanoseconds gives up now, or null.
   *
   * @param limit how long it is willing to wait (zero: for ever)
   */
  String giveUp(Duration limit, long waitedNanos) {
    if (outage == null || limit.isZero() || waitedNanos < limit.toNanos()) {
      return null;
    }
    return "gave up after "
        + Durations.format(limit)
        + " ("
        + SettingNames.of(Setting.CONNECT_TIMEOUT)
        + "): "
        + outage;
  }
}
