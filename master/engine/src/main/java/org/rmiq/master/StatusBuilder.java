package org.rmiq.master;

import com.google.common.base.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.rmiq.internal.transport.MasterListener;
import org.rmiq.internal.wire.StatusReport;

/** Assembles the status report from the master's parts. */
final class StatusBuilder {
  private StatusBuilder() {}

  static StatusReport build(
      Master master,
      Dispatcher dispatcher,
      StatusTracker tracker,
      RmiEndpoint endpoint,
      long startedNanos,
      Ticker ticker) {
    Dispatcher.Stats s = dispatcher.stats();
    long now = ticker.read();
    List<Job> jobs = dispatcher.jobs();
    Job current = current(jobs);
    Map<String, Long> currentShares = current == null ? Map.of() : dispatcher.sharesOf(current);
    List<WorkerSummary> all = dispatcher.workers();
    List<StatusReport.WorkerStatus> workers = new ArrayList<>();
    for (WorkerSummary w : all.subList(0, Math.min(all.size(), StatusReport.MAX_WORKERS))) {
      workers.add(
          new StatusReport.WorkerStatus(
              w.name(),
              w.host(),
              w.connected(),
              w.threads(),
              w.succeeded(),
              w.failed(),
              tracker.rate(w.name()),
              w.meanMillis(),
              TimeUnit.NANOSECONDS.toMillis(now - w.lastSeenNanos()),
              w.acceptsCode(),
              currentShares.getOrDefault(w.name(), 0L)));
    }
    List<StatusReport.JobStatus> jobRows = new ArrayList<>();
    for (int i = jobs.size() - 1; i >= 0 && jobRows.size() < StatusReport.MAX_JOBS; i--) {
      jobRows.add(job(dispatcher, jobs.get(i)));
    }
    MasterListener listener = endpoint == null ? null : endpoint.listener();
    return new StatusReport(
        dispatcher.phase(),
        TimeUnit.NANOSECONDS.toMillis(now - startedNanos),
        s.submitted(),
        s.pending(),
        s.leased(),
        s.succeeded(),
        s.failed(),
        s.duplicates(),
        s.forged(),
        listener == null ? 0 : listener.failedHandshakes(),
        listener == null ? 0 : listener.busyRefusals(),
        listener == null
            ? List.of()
            : listener.blocked().stream()
                .map(
                    b ->
                        new StatusReport.BlockedPeer(b.peer(), b.failures(), b.millisLeft() / 1000))
                .toList(),
        tracker.rate(),
        tracker.history(),
        workers,
        all.size(),
        tracker.recent(),
        tracker.failures(),
        jobRows,
        master.notices());
  }

  /** The job running now, else the newest one. */
  static Job current(List<Job> jobs) {
    for (int i = jobs.size() - 1; i >= 0; i--) {
      if (jobs.get(i).state() == Job.State.RUNNING) {
        return jobs.get(i);
      }
    }
    return jobs.isEmpty() ? null : jobs.get(jobs.size() - 1);
  }

  private static StatusReport.JobStatus job(Dispatcher dispatcher, Job job) {
    JobProgress p = job.progress();
    Map<String, Long> shares = dispatcher.sharesOf(job);
    List<StatusReport.Share> top =
        shares.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(50)
            .map(e -> new StatusReport.Share(e.getKey(), e.getValue()))
            .toList();
    return new StatusReport.JobStatus(
        job.id(),
        job.spec().spec(),
        job.state().name(),
        p.submitted(),
        p.succeeded(),
        p.failed(),
        p.pending(),
        p.leased(),
        p.work().toMillis(),
        p.waited().toMillis(),
        shares.size(),
        top);
  }
}
