package org.rmiq.master;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rmiq.report.JobProgress;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/**
 * What the master tells a teacher about work that cannot progress, in one wording wherever it shows
 * (log, prompt, timeout message, status page): tasks of a kind no connected worker runs, and the
 * flag or plugin that would let one run them.
 */
final class Notices {
  private Notices() {}

  /** Notices about every job. */
  static List<String> all(DispatcherSnapshot snapshot) {
    List<String> notices = new ArrayList<>();
    snapshot.unserved().forEach((kind, waiting) -> notices.add(unserved(snapshot, kind, waiting)));
    for (DispatcherSnapshot.JobView view : snapshot.jobs()) {
      if (view.state() == Job.State.RUNNING) {
        notices.addAll(tooFewForReplicas(snapshot, view.job()));
        notices.addAll(replicasShareComputers(snapshot, view.job()));
      }
    }
    return notices;
  }

  /**
   * For a queued job, the job it waits for (the one running now, the oldest if several) and how far
   * that one is, e.g. {@code job 7 (sleep 1000x240, 60 % done)}; else empty.
   */
  static String waitingBehind(DispatcherSnapshot snapshot, Job job) {
    DispatcherSnapshot.JobView mine = snapshot.of(job);
    if (mine == null || mine.state() != Job.State.QUEUED) {
      return "";
    }
    for (DispatcherSnapshot.JobView view : snapshot.jobs()) {
      if (view.state() == Job.State.RUNNING) {
        JobProgress p = view.progress();
        long percent = p.submitted() == 0 ? 100 : 100 * p.collected() / p.submitted();
        return "job "
            + view.job().id()
            + " ("
            + org.rmiq.util.Printable.of(view.job().spec().spec(), 80)
            + ", "
            + percent
            + " % done)";
      }
    }
    return "the job before it";
  }

  /** Notices about one job: its kind nobody runs, or too few workers for its replicas. */
  static List<String> forJob(DispatcherSnapshot snapshot, Job job) {
    Integer waiting = snapshot.unserved().get(job.spec().kind());
    List<String> notices = new ArrayList<>();
    if (waiting != null) {
      notices.add(unserved(snapshot, job.spec().kind(), waiting));
    }
    notices.addAll(tooFewForReplicas(snapshot, job));
    return notices;
  }

  /**
   * A job with replicas whose workers are on fewer computers than it has replicas (a one-machine
   * demo): it progresses, but some copies of a task run on one computer. For the status page only:
   * it explains no stall, so it is not among a job's reasons for waiting.
   */
  static List<String> replicasShareComputers(DispatcherSnapshot snapshot, Job job) {
    int replicas = job.spec().replicas();
    DispatcherSnapshot.Places places = snapshot.places().get(job.id());
    if (replicas < 2 || places == null || places.jvms() < replicas) {
      return List.of();
    }
    if (places.computers() >= replicas) {
      return List.of();
    }
    return List.of(
        "job "
            + job.id()
            + " cross-checks each task on "
            + replicas
            + " different computers where it can ("
            + SettingNames.of(Setting.REPLICAS)
            + "), but the workers that run '"
            + job.spec().kind()
            + "' are on "
            + places.computers()
            + " computer(s): until more join, some replicas run in other JVMs of the same"
            + " computer, which one person could run");
  }

  /** A job whose tasks each need more different workers (--replicas) than are connected. */
  static List<String> tooFewForReplicas(DispatcherSnapshot snapshot, Job job) {
    int replicas = job.spec().replicas();
    DispatcherSnapshot.Places places = snapshot.places().get(job.id());
    if (replicas < 2 || places == null) {
      return List.of();
    }
    int jvms = places.jvms();
    if (jvms == 0 || jvms >= replicas) {
      return List.of();
    }
    return List.of(
        "job "
            + job.id()
            + " runs each task on "
            + replicas
            + " different workers ("
            + SettingNames.of(Setting.REPLICAS)
            + "), but only "
            + jvms
            + " connected worker JVM(s) run '"
            + job.spec().kind()
            + "'; start "
            + (replicas - jvms)
            + " more (sessions of one JVM do not count twice)");
  }

  private static String names(List<String> names) {
    return String.join(", ", names.subList(0, Math.min(5, names.size())))
        + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
  }

  static String unserved(DispatcherSnapshot snapshot, String kind, int waiting) {
    if (snapshot.shippedKinds().contains(kind)) {
      List<String> why = new ArrayList<>();
      List<String> refusing = snapshot.refusingCode();
      if (!refusing.isEmpty()) {
        why.add(
            (refusing.size() == 1
                    ? "worker " + refusing.get(0) + " does not accept code"
                    : "workers " + names(refusing) + " do not accept code")
                + " (start "
                + (refusing.size() == 1 ? "it" : "them")
                + " with the join line for code)");
      }
      Map<String, String> pinned = snapshot.pinnedElsewhere();
      if (!pinned.isEmpty()) {
        String name = pinned.keySet().iterator().next();
        why.add(
            (pinned.size() == 1
                    ? "worker " + name
                    : "workers " + names(List.copyOf(pinned.keySet())))
                + " accept only code signed by another teacher's key ("
                + pinned.get(name)
                + "), not this master's");
      }
      return waiting
          + " task(s) of kind '"
          + kind
          + "' are waiting for a worker that accepts this master's code: "
          + String.join("; ", why);
    }
    return waiting
        + " task(s) of kind '"
        + kind
        + "' are waiting, but no connected worker runs it (they run: "
        + String.join(", ", snapshot.servedKinds())
        + "); start a worker whose plugin folder ("
        + SettingNames.of(Setting.WORKER_PLUGINS)
        + ") has the jar that provides '"
        + kind
        + "', or one that runs the teacher's code ("
        + SettingNames.of(Setting.ACCEPT_CODE)
        + ") if this master offers it ("
        + SettingNames.of(Setting.MASTER_PLUGINS)
        + ")";
  }
}
