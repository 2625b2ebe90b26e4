package org.rmiq.client;

/** The master would not take (or cancel) a job, saying why in the words its own prompt uses. */
public final class JobRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a job was refused. */
  public enum Reason {
    /** The job itself is wrong: bad words, a missing file, too big, a kind it may not use. */
    BAD_JOB,
    /** The master takes no jobs from others: it is not a session master. */
    NOT_A_SESSION,
    /** This needs the teacher key, and the connection proved only the class code. */
    NEEDS_TEACHER_KEY,
    /** The master could not record the job (its journal). */
    CANNOT_RECORD,
    /** This computer has a student job queued already: one at a time. */
    QUOTA
  }

  private final Reason reason;

  JobRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
