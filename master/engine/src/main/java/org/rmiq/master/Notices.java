package org.rmiq.master;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the master tells a teacher about work that cannot progress, in one wording wherever it shows
 * (log, prompt, timeout message, status page): tasks of a kind no connected worker runs, and the
 * flag or plugin that would let one run them.
 */
final class Notices {
  private Notices() {}

  /** Notices about every job. */
  static List<String> all(Dispatcher dispatcher) {
    List<String> notices = new ArrayList<>();
    dispatcher
        .unservedKinds()
        .forEach((kind, waiting) -> notices.add(unserved(dispatcher, kind, waiting)));
    for (Job job : dispatcher.jobs()) {
      if (job.state() == Job.State.RUNNING) {
        notices.addAll(tooFewForReplicas(dispatcher, job));
        notices.addAll(replicasShareComputers(dispatcher, job));
      }
    }
    return notices;
  }

  /**
   * A job with replicas whose workers are on fewer computers than it has replicas (a one-machine
   * demo): it progresses, but some copies of a task run on one computer. For the status page only:
   * it explains no stall, so it is not among a job's reasons for waiting.
   */
  static List<String> replicasShareComputers(Dispatcher dispatcher, Job job) {
    int replicas = job.spec().replicas();
    if (replicas < 2 || dispatcher.workerJvmsRunning(job.spec().kind()) < replicas) {
      return List.of();
    }
    int computers = dispatcher.computersRunning(job.spec().kind());
    if (computers >= replicas) {
      return List.of();
    }
    return List.of(
        "job "
            + job.id()
            + " cross-checks each task on "
            + replicas
            + " different computers where it can (--replicas "
            + replicas
            + "), but the workers that run '"
            + job.spec().kind()
            + "' are on "
            + computers
            + " computer(s): until more join, some replicas run in other JVMs of the same"
            + " computer, which one person could run");
  }

  /** A job whose tasks each need more different workers (--replicas) than are connected. */
  static List<String> tooFewForReplicas(Dispatcher dispatcher, Job job) {
    int replicas = job.spec().replicas();
    if (replicas < 2) {
      return List.of();
    }
    int jvms = dispatcher.workerJvmsRunning(job.spec().kind());
    if (jvms == 0 || jvms >= replicas) {
      return List.of();
    }
    return List.of(
        "job "
            + job.id()
            + " runs each task on "
            + replicas
            + " different workers (--replicas "
            + replicas
            + "), but only "
            + jvms
            + " connected worker JVM(s) run '"
            + job.spec().kind()
            + "'; start "
            + (replicas - jvms)
            + " more (sessions of one JVM do not count twice)");
  }

  /** Notices about one job's kind. */
  static List<String> forJob(Dispatcher dispatcher, Job job) {
    Map<String, Integer> unserved = dispatcher.unservedKinds();
    Integer waiting = unserved.get(job.spec().kind());
    List<String> notices = new ArrayList<>();
    if (waiting != null) {
      notices.add(unserved(dispatcher, job.spec().kind(), waiting));
    }
    notices.addAll(tooFewForReplicas(dispatcher, job));
    return notices;
  }

  static String unserved(Dispatcher dispatcher, String kind, int waiting) {
    if (dispatcher.isShipped(kind)) {
      List<String> refusing = dispatcher.workersRefusingCode();
      return waiting
          + " task(s) of kind '"
          + kind
          + "' are waiting for a worker that accepts code: "
          + (refusing.size() == 1
              ? "worker " + refusing.get(0) + " does not accept code"
              : "workers "
                  + String.join(", ", refusing.subList(0, Math.min(5, refusing.size())))
                  + (refusing.size() > 5 ? " and " + (refusing.size() - 5) + " more" : "")
                  + " do not accept code")
          + "; start "
          + (refusing.size() == 1 ? "it" : "them")
          + " with --accept-code to run "
          + kind;
    }
    return waiting
        + " task(s) of kind '"
        + kind
        + "' are waiting, but no connected worker runs it (they run: "
        + String.join(", ", dispatcher.servedKinds())
        + "); start a worker whose --plugins folder has the jar that provides '"
        + kind
        + "', or one with --accept-code if this master offers it (--plugins DIR)";
  }
}
