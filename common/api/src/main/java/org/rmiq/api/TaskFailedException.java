package org.rmiq.api;

/**
 * A task attempt failed for a reason another attempt might not share (a server error, a timeout):
 * the task is retried under the master's retry rules. Its message is reported as written, so it
 * should name the input and the cause.
 */
public final class TaskFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  public TaskFailedException(String message) {
    super(message);
  }

  public TaskFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
