package org.rmiq.common;

import java.io.Serializable;

/**
 * What a worker reports for one attempt at a task; it acknowledges the task's lease.
 *
 * <p>Exactly one of {@code value} (success) and {@code error} (failure) is set. A failure that
 * cannot succeed on another attempt (bad input) has {@code retryable} false.
 *
 * @param taskId the id of the task this answers
 * @param value the handler's result, or null when the attempt failed
 * @param error what went wrong, or null when the attempt succeeded
 * @param retryable whether another attempt could succeed (always false on success)
 * @param millis how long the attempt ran on the worker
 */
public record TaskResult(long taskId, String value, String error, boolean retryable, long millis)
    implements Serializable {

  /** Largest value or error a result may carry, in characters. */
  public static final int MAX_TEXT_CHARS = 1 << 20;

  public TaskResult {
    if (taskId < 0) {
      throw new IllegalArgumentException("result task id must be >= 0, was " + taskId);
    }
    if ((value == null) == (error == null)) {
      throw new IllegalArgumentException(
          "result for task " + taskId + " must have exactly one of value and error");
    }
    if (value != null && retryable) {
      throw new IllegalArgumentException("successful result for task " + taskId + " is retryable");
    }
    checkLength(taskId, value);
    checkLength(taskId, error);
    if (millis < 0) {
      throw new IllegalArgumentException("result for task " + taskId + " took " + millis + " ms");
    }
  }

  public static TaskResult ok(long taskId, String value, long millis) {
    return new TaskResult(taskId, value, null, false, millis);
  }

  public static TaskResult failed(long taskId, String error, boolean retryable, long millis) {
    return new TaskResult(taskId, null, error, retryable, millis);
  }

  public boolean isOk() {
    return error == null;
  }

  private static void checkLength(long taskId, String text) {
    if (text != null && text.length() > MAX_TEXT_CHARS) {
      throw new IllegalArgumentException(
          "result for task " + taskId + " is " + text.length() + " chars; the limit is "
              + MAX_TEXT_CHARS);
    }
  }
}
