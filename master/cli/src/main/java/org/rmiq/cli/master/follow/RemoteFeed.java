package org.rmiq.cli.master.follow;

import java.time.Duration;
import java.util.List;
import org.rmiq.client.MasterCallException;
import org.rmiq.client.RemoteJob;
import org.rmiq.report.JobProgress;
import org.rmiq.report.TaskOutcome;

/** A job on a session master, followed by its submitter over the network. */
public final class RemoteFeed implements JobFeed {
  private final RemoteJob job;

  public RemoteFeed(RemoteJob job) {
    this.job = job;
  }

  @Override
  public List<TaskOutcome> next(int max, Duration wait) throws MasterCallException {
    return job.next(max, wait);
  }

  @Override
  public JobProgress progress() {
    return job.progress();
  }

  @Override
  public String state() {
    return job.state();
  }

  @Override
  public String waitingBehind() {
    return job.waitingBehind();
  }

  @Override
  public boolean isDrained() {
    return job.isDrained();
  }

  @Override
  public List<String> notices() {
    return job.notices();
  }

  @Override
  public void cancel(String reason) throws MasterCallException {
    job.cancel();
  }
}
