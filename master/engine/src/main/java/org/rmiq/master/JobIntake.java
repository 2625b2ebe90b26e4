package org.rmiq.master;

import java.util.List;
import java.util.Map;

/**
 * How a session master takes jobs submitted from other machines ({@code rmiq-submit.sh}): the
 * command line parses the words with the same rules as its own prompt and queues the job. A master
 * without an intake refuses submissions ("not a session master").
 */
public interface JobIntake {

  /**
   * Parses and queues a job.
   *
   * @param words the job and its options, as typed on the submitter's machine
   * @param attachments the contents of the {@code @FILE}s and {@code -} the words name, read on the
   *     submitter's machine, by the word that names them
   */
  Answer submit(List<String> words, Map<String, byte[]> attachments);

  /** What the intake did with a submission. */
  sealed interface Answer permits Accepted, Refused {}

  /**
   * Queued.
   *
   * @param job the job
   * @param title a short description, e.g. {@code square 1000 number(s)}
   * @param queuedBehind jobs that run before it
   */
  record Accepted(Job job, String title, int queuedBehind) implements Answer {}

  /**
   * Refused.
   *
   * @param message why, as the master command would say it
   * @param exitCode the submitter's exit code (2: a bad job)
   */
  record Refused(String message, int exitCode) implements Answer {}
}
