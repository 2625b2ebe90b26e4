package org.rmiq.cli.master;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.rmiq.master.Master;

/**
 * What this run of the master does: submit a new job, or resume the one its journal holds (after a
 * crash, or with {@code retry-failed} to run the failed tasks again).
 *
 * @param job the new job to submit, or null when resuming
 * @param spec the job as the user wrote it, recorded in the journal
 * @param title a description for the start-up message
 */
record JobPlan(Job job, String spec, String title) {
  static final String RETRY_FAILED = "retry-failed";

  /** The job's task kind, also when resuming it from the journal (from its recorded words). */
  String kind() {
    if (job != null) {
      return job.kind();
    }
    String[] words = spec.split(" ", -1);
    return words[0].equals("task") && words.length > 1 ? words[1] : words[0];
  }

  /**
   * Decides from the JOB words and the {@code --journal} file (null for none).
   *
   * @throws IllegalArgumentException naming the problem and the fix
   */
  static JobPlan decide(List<String> words, Path journal, InputStream stdin, Random random) {
    return decide(words, journal, stdin, random, Job.DEFAULT_CHUNKS);
  }

  /** Like the other, with the {@code --chunks} of sum and wordcount. */
  static JobPlan decide(
      List<String> words, Path journal, InputStream stdin, Random random, int chunks) {
    return decide(words, journal, stdin, random, JobOptions.withChunks(chunks));
  }

  /** Like the others, shaped by the job flags. */
  static JobPlan decide(
      List<String> words, Path journal, InputStream stdin, Random random, JobOptions options) {
    boolean retry = words.equals(List.of(RETRY_FAILED));
    if (journal == null) {
      if (retry) {
        throw new IllegalArgumentException(
            "retry-failed needs --journal FILE: the journal of"
                + " the job whose failed tasks should run again");
      }
      return fresh(words, stdin, random, options);
    }
    Optional<String> saved = savedJob(journal);
    if (retry) {
      String job =
          saved.orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "--journal "
                          + journal
                          + " holds no job yet, so there are no failed tasks to retry"));
      int requeued = requeue(journal);
      return new JobPlan(null, job, "retry " + requeued + " failed task(s) of: " + job);
    }
    if (saved.isPresent()) {
      if (!words.isEmpty() && !String.join(" ", words).equals(saved.get())) {
        throw new IllegalArgumentException(
            "--journal "
                + journal
                + " holds the job '"
                + saved.get()
                + "'; to resume it give the same job or none, and for a new job give"
                + " a new journal file");
      }
      return new JobPlan(null, saved.get(), "resume: " + saved.get());
    }
    return fresh(words, stdin, random, options);
  }

  private static JobPlan fresh(
      List<String> words, InputStream stdin, Random random, JobOptions options) {
    Job job = Job.parse(words, stdin, random, options);
    // The classic demo's numbers are random: record them, so a resumed demo is the same job.
    String spec =
        words.isEmpty()
            ? job.kind() + " " + String.join(",", job.inputs())
            : String.join(" ", words);
    return new JobPlan(job, spec, job.title());
  }

  private static Optional<String> savedJob(Path journal) {
    try {
      return Master.journaledJob(journal);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static int requeue(Path journal) {
    try {
      return Master.requeueFailed(journal);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
