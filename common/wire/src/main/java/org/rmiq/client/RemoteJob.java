package org.rmiq.client;

import java.time.Duration;
import java.util.List;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.JobEvents;
import org.rmiq.internal.wire.JobPoll;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.report.JobProgress;
import org.rmiq.report.TaskOutcome;

/**
 * A job submitted to a session master, followed from this machine: its outcomes in the order they
 * were collected, each exactly once, and its counts. A job nobody asks about for 30 seconds is
 * cancelled by the master, so follow it until {@link #isDrained}, or {@link #cancel} it.
 */
public final class RemoteJob {
  private final MasterClient client;
  private final MasterService master;
  private final String ticket;
  private final long id;
  private final String title;
  private final int queuedBehind;
  private JobProgress progress;
  private String state = "QUEUED";
  private List<String> notices = List.of();
  private String waitingBehind = "";
  private boolean drained;

  RemoteJob(
      MasterClient client,
      MasterService master,
      String ticket,
      long id,
      String title,
      long tasks,
      int queuedBehind) {
    this.client = client;
    this.master = master;
    this.ticket = ticket;
    this.id = id;
    this.title = title;
    this.queuedBehind = queuedBehind;
    this.progress =
        new JobProgress(tasks, 0, 0, 0, tasks, 0, 0, false, Duration.ZERO, Duration.ZERO);
  }

  /** Its number on the master. */
  public long id() {
    return id;
  }

  /** A short description, e.g. {@code square 1000 number(s)}. */
  public String title() {
    return title;
  }

  /** How many jobs ran before it when it was queued. */
  public int queuedBehind() {
    return queuedBehind;
  }

  /**
   * Up to {@code max} new outcomes, waiting up to {@code wait} (at most a few seconds) for the
   * first; its progress, state and notices are updated by the same call.
   */
  public List<TaskOutcome> next(int max, Duration wait) throws MasterCallException {
    JobEvents events =
        client.call(
            () ->
                master.jobEvents(
                    new JobPoll(
                        ticket,
                        Math.max(1, Math.min(max, ExchangeRequest.MAX_TASKS)),
                        Math.min(wait.toMillis(), ExchangeRequest.MAX_WAIT_MILLIS),
                        false)));
    progress = events.progress();
    state = events.state();
    notices = events.notices();
    waitingBehind = events.waitingBehind();
    drained = events.drained();
    return events.outcomes();
  }

  /** Its counts and timing as of the last {@link #next}. */
  public JobProgress progress() {
    return progress;
  }

  /**
   * {@code QUEUED}, {@code RUNNING}, {@code FINISHED} or {@code CANCELLED}, as of the last call.
   */
  public String state() {
    return state;
  }

  /** What the master says about it now (a kind nobody runs…), as of the last call. */
  public List<String> notices() {
    return notices;
  }

  /**
   * While it is queued, the job it waits for and how far that one is, e.g. {@code job 7 (sleep
   * 1000x240, 60 % done)}; else empty. As of the last call.
   */
  public String waitingBehind() {
    return waitingBehind;
  }

  /** True once it ended and {@link #next} handed out every outcome. */
  public boolean isDrained() {
    return drained;
  }

  /** Cancels it: its tasks are withdrawn from the workers and collected as cancelled. */
  public void cancel() throws MasterCallException {
    client.call(() -> master.jobEvents(new JobPoll(ticket, 1, 0, true)));
  }
}
