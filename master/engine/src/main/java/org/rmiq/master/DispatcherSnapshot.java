package org.rmiq.master;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rmiq.internal.wire.MasterPhase;
import org.rmiq.report.JobProgress;

/**
 * Everything the status page, the notices and the worker list read from the dispatcher, taken in
 * one acquisition of its lock, so a status read costs one lock and its numbers agree with each
 * other.
 *
 * @param phase running, or finished (workers that exit when done leave)
 * @param stats counts over every listed job
 * @param workers every worker's row, connected ones first, then by tasks done
 * @param jobs every listed job, oldest first
 * @param unserved kinds with waiting tasks that no live session can run, with how many wait (empty
 *     while no worker is connected)
 * @param shippedKinds the unserved kinds whose tasks come with shipped code
 * @param refusingCode connected workers that do not accept code, by name
 * @param pinnedElsewhere connected workers that accept only another teacher's code, by name, with
 *     the fingerprint they pinned
 * @param servedKinds the kinds the live sessions run, together
 * @param places for each running job with replicas, by job id: the worker JVMs and the computers
 *     connected now that run its kind
 */
record DispatcherSnapshot(
    MasterPhase phase,
    Stats stats,
    List<WorkerSummary> workers,
    List<JobView> jobs,
    Map<String, Integer> unserved,
    Set<String> shippedKinds,
    List<String> refusingCode,
    Map<String, String> pinnedElsewhere,
    Set<String> servedKinds,
    Map<Long, Places> places) {

  /** Counts at one moment, over every listed job. */
  record Stats(
      long submitted,
      long pending,
      long leased,
      long succeeded,
      long failed,
      long cancelled,
      long duplicates,
      long forged,
      int sessions,
      long expiredLinks,
      boolean everJoined) {}

  /** The dispatcher's running counts beside its jobs'; guarded by its lock. */
  static final class Counts {
    /** Results discarded as late or repeated. */
    long duplicates;

    /** Results refused as another session's. */
    long forged;

    /** Links dropped as silent. */
    long expiredLinks;

    /** Whether a worker ever joined. */
    boolean everJoined;

    /** These counts with the jobs' totals, at one moment. */
    Stats with(JobBook book, int sessions) {
      long[] t = book.totals();
      return new Stats(
          t[0],
          t[1],
          t[2],
          t[3],
          t[4],
          t[5],
          duplicates,
          forged,
          sessions,
          expiredLinks,
          everJoined);
    }
  }

  /** A job at the moment of the snapshot: its state, counts and tasks per worker (most first). */
  record JobView(Job job, Job.State state, JobProgress progress, Map<String, Long> shares) {
    /** {@code job} at {@code now}, with {@code sessions} connected; call with the lock held. */
    static JobView of(Job job, long now, int sessions) {
      return new JobView(job, job.state, job.progressAt(now, sessions), job.shares.copy());
    }
  }

  /** Worker JVMs and computers (addresses) connected now that run a kind. */
  record Places(int jvms, int computers) {}

  /** Takes the snapshot; call with the dispatcher's lock held. */
  static DispatcherSnapshot of(
      MasterPhase phase, Stats stats, List<JobView> jobs, Registry registry, TaskBoard board) {
    Map<Long, Places> places = new java.util.HashMap<>();
    for (JobView view : jobs) {
      String kind = view.job().spec().kind();
      if (view.state() == Job.State.RUNNING && view.job().spec().replicas() > 1) {
        places.put(
            view.job().id(),
            new Places(registry.jvmsRunning(kind), registry.computersRunning(kind).size()));
      }
    }
    Map<String, Integer> unserved = board.pending().unservedKinds();
    Set<String> shipped = new java.util.LinkedHashSet<>();
    for (String kind : unserved.keySet()) {
      Waiting head = board.pending().head(kind);
      if (head != null && head.job().spec().code() != null) {
        shipped.add(kind);
      }
    }
    return new DispatcherSnapshot(
        phase,
        stats,
        registry.summaries(),
        List.copyOf(jobs),
        unserved,
        shipped,
        registry.refusingCode(),
        registry.pinnedElsewhere(),
        registry.servedKinds(),
        places);
  }

  /** The job running now, else the newest one, else null. */
  JobView current() {
    for (int i = jobs.size() - 1; i >= 0; i--) {
      if (jobs.get(i).state() == Job.State.RUNNING) {
        return jobs.get(i);
      }
    }
    return jobs.isEmpty() ? null : jobs.get(jobs.size() - 1);
  }

  /** The view of {@code job}, or null when it is no longer listed. */
  JobView of(Job job) {
    for (JobView view : jobs) {
      if (view.job() == job) {
        return view;
      }
    }
    return null;
  }
}
