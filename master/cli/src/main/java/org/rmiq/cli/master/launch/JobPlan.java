package org.rmiq.cli.master.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.rmiq.cli.master.job.JobKind;
import org.rmiq.cli.master.job.JobKinds;
import org.rmiq.master.Master;

/**
 * What a one-shot master runs: a new job, or its journal's unfinished one (resumed), or that job's
 * failed tasks again ({@code retry-failed}).
 *
 * @param kind the job's kind
 * @param resumeId the journaled job to resume, or -1 for a new job
 * @param title what the banner says it runs
 */
record JobPlan(JobKind kind, long resumeId, String title) {
  /**
   * Decides from the job's words and the journal.
   *
   * @param newJob parses the words into a new job (reads its inputs), when it comes to that
   * @throws IllegalArgumentException naming what does not fit, in a sentence for the user
   */
  static JobPlan of(List<String> words, Path journal, Supplier<JobKind> newJob) {
    boolean retry = words.equals(List.of("retry-failed"));
    List<Master.JournaledJob> saved = List.of();
    if (journal != null) {
      try {
        saved = Master.journaledJobs(journal);
      } catch (IOException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    } else if (retry) {
      throw new IllegalArgumentException(
          "retry-failed needs --journal FILE: the journal of the job whose failed tasks should"
              + " run again");
    }
    Master.JournaledJob last = saved.isEmpty() ? null : saved.get(saved.size() - 1);
    if (retry) {
      if (last == null) {
        throw new IllegalArgumentException(
            "--journal " + journal + " holds no job yet, so there are no failed tasks to retry");
      }
      int requeued;
      try {
        requeued = Master.requeueFailed(journal, last.id());
      } catch (IOException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      return new JobPlan(
          JobKinds.describe(last.spec()),
          last.id(),
          "retry " + requeued + " failed task(s) of: " + last.spec());
    }
    if (last != null && last.pending() > 0) {
      if (!words.isEmpty() && !String.join(" ", words).equals(last.spec())) {
        throw new IllegalArgumentException(
            "--journal "
                + journal
                + " holds the unfinished job '"
                + last.spec()
                + "'; to resume it give the same job or none, and for a new job give a new"
                + " journal file");
      }
      return new JobPlan(JobKinds.describe(last.spec()), last.id(), "resume: " + last.spec());
    }
    JobKind kind = newJob.get();
    return new JobPlan(kind, -1, kind.title());
  }
}
