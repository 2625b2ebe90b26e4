package org.rmiq.cli.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.JobEvents;
import org.rmiq.internal.wire.JobPoll;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.master.JobProgress;
import org.rmiq.master.TaskOutcome;

/** A job on a session master, followed by its submitter over the network. */
final class RemoteFeed implements JobFeed {
  private final MasterService master;
  private final String ticket;
  private final long jobId;
  private JobProgress progress =
      new JobProgress(0, 0, 0, 0, 0, 0, false, Duration.ZERO, Duration.ZERO);
  private String state = "QUEUED";
  private List<String> notices = List.of();
  private boolean drained;

  RemoteFeed(MasterService master, String ticket, long jobId) {
    this.master = master;
    this.ticket = ticket;
    this.jobId = jobId;
  }

  @Override
  public List<TaskOutcome> next(int max, Duration wait) throws Exception {
    JobEvents events =
        master.jobEvents(
            new JobPoll(
                ticket,
                Math.min(max, ExchangeRequest.MAX_TASKS),
                Math.min(wait.toMillis(), ExchangeRequest.MAX_WAIT_MILLIS),
                false));
    JobEvents.Progress p = events.progress();
    progress =
        new JobProgress(
            p.submitted(),
            p.succeeded(),
            p.failed(),
            p.pending(),
            p.leased(),
            p.workersConnected(),
            p.workersJoined(),
            Duration.ofMillis(p.workMillis()),
            Duration.ofMillis(p.waitMillis()));
    state = events.state();
    notices = events.notices();
    boolean ended = state.equals("FINISHED") || state.equals("CANCELLED");
    drained = ended && events.outcomes().isEmpty();
    List<TaskOutcome> outcomes = new ArrayList<>(events.outcomes().size());
    for (JobEvents.Outcome o : events.outcomes()) {
      outcomes.add(
          new TaskOutcome(
              o.id(),
              jobId,
              o.kind(),
              o.input(),
              o.ok(),
              o.value(),
              o.error(),
              o.worker(),
              o.attempts(),
              o.millis(),
              o.details()));
    }
    return outcomes;
  }

  @Override
  public JobProgress progress() {
    return progress;
  }

  @Override
  public boolean isDrained() {
    return drained;
  }

  @Override
  public List<String> notices() {
    return notices;
  }

  @Override
  public void cancel(String reason) throws Exception {
    master.jobEvents(new JobPoll(ticket, 1, 0, true));
  }
}
