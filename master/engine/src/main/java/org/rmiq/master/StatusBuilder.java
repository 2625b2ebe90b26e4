package org.rmiq.master;

import com.google.common.base.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.rmiq.internal.transport.MasterListener;
import org.rmiq.report.JobProgress;
import org.rmiq.report.StatusReport;

/** Assembles the status report from the master's parts. */
final class StatusBuilder {
  private StatusBuilder() {}

  static StatusReport build(
      DispatcherSnapshot snapshot,
      StatusTracker tracker,
      RmiEndpoint endpoint,
      long startedNanos,
      Ticker ticker) {
    DispatcherSnapshot.Stats s = snapshot.stats();
    long now = ticker.read();
    DispatcherSnapshot.JobView current = snapshot.current();
    Map<String, Long> currentShares = current == null ? Map.of() : current.shares();
    List<WorkerSummary> all = snapshot.workers();
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
    List<DispatcherSnapshot.JobView> jobs = snapshot.jobs();
    for (int i = jobs.size() - 1; i >= 0 && jobRows.size() < StatusReport.MAX_JOBS; i--) {
      jobRows.add(job(jobs.get(i)));
    }
    MasterListener listener = endpoint == null ? null : endpoint.listener();
    return new StatusReport(
        snapshot.phase().name(),
        TimeUnit.NANOSECONDS.toMillis(now - startedNanos),
        s.submitted(),
        s.pending(),
        s.leased(),
        s.succeeded(),
        s.failed(),
        s.cancelled(),
        s.duplicates(),
        s.forged(),
        listener == null ? 0 : listener.failedHandshakes(),
        listener == null ? 0 : listener.busyRefusals(),
        listener == null
            ? List.of()
            : listener.guessers().stream()
                .map(g -> new StatusReport.Guesser(g.peer(), g.wrongCodes(), g.secondsSinceLast()))
                .toList(),
        tracker.rate(),
        tracker.history(),
        workers,
        all.size(),
        tracker.recent(),
        tracker.failures(),
        jobRows,
        Notices.all(snapshot));
  }

  private static StatusReport.JobStatus job(DispatcherSnapshot.JobView view) {
    JobProgress p = view.progress();
    List<StatusReport.Share> top =
        view.shares().entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(50)
            .map(e -> new StatusReport.Share(e.getKey(), e.getValue()))
            .toList();
    JobSpec spec = view.job().spec();
    return new StatusReport.JobStatus(
        view.job().id(),
        spec.options().isEmpty() ? spec.spec() : spec.spec() + " " + spec.options(),
        spec.submitter(),
        view.state().name(),
        p.submitted(),
        p.succeeded(),
        p.failed(),
        p.cancelled(),
        p.pending(),
        p.leased(),
        p.work().toMillis(),
        p.waited().toMillis(),
        view.shares().size(),
        top);
  }
}
