package org.rmiq.api;

/**
 * This worker will not run the task by its own settings (a download to a private address it may not
 * fetch, say), though another worker may: the master hands the task to a worker that allows it, and
 * fails it, with this message, only when no connected worker does. Not an attempt.
 */
public final class TaskDeclinedException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message why this worker declines it and which setting would let it run the task
   */
  public TaskDeclinedException(String message) {
    super(message);
  }
}
