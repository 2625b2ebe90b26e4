package org.rmiq.master;

import java.util.List;
import java.util.Map;

/**
 * How a session master takes jobs from other machines ({@code rmiq-submit.sh}): the command line
 * parses the words with the same rules as its own prompt and queues the job, or refuses it. A
 * master without an intake refuses submissions (it is not a session master).
 *
 * <p>Who submits is proven, not claimed: the connection's handshake proved the teacher key or only
 * the class code, and the intake decides what each may do.
 */
public interface JobIntake {

  /**
   * Parses and queues a job.
   *
   * @param words the job and its options, as typed on the submitter's machine
   * @param attachments the contents of the {@code @FILE}s and {@code -} the words name, read on the
   *     submitter's machine, by the word that names them
   * @param from who submits it
   */
  Answer submit(List<String> words, Map<String, byte[]> attachments, Submitter from);

  /** Cancels job {@code jobId} for a teacher on another machine; returns what happened. */
  String cancel(long jobId);

  /**
   * Who submits a job.
   *
   * @param teacher whether the connection proved the teacher key (else only the class code)
   * @param address the submitter's address, as the master sees it
   */
  record Submitter(boolean teacher, String address) {}

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
   * @param reason what kind of refusal
   * @param message why, as the master's prompt would say it
   */
  record Refused(Reason reason, String message) implements Answer {}

  /** Why a job was refused. */
  enum Reason {
    /** The job itself is wrong: its words, a file, its size, a kind it may not use. */
    BAD_JOB,
    /** Only the teacher key may do this. */
    NEEDS_TEACHER_KEY,
    /** The journal could not record it. */
    CANNOT_RECORD,
    /** The submitter's computer has a job queued already. */
    QUOTA
  }
}
