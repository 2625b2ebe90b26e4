package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.util.Map;

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
 * @param details named facts about a successful result beyond its value (a download's bytes,
 *     sha256, httpStatus…); empty for most kinds. Written to {@code --out} and the journal.
 * @param lane which of the worker's threads ran it (0, 1, …), for the timeline
 * @param declined the worker would not run it by its own settings (its error says which would let
 *     it): another worker may, and it was not an attempt
 * @param waitedMillis how long the result waited on the worker for an exchange to carry it, so the
 *     master's timeline draws the attempt where it ran rather than when it arrived
 */
public record TaskResult(
    long taskId,
    String value,
    String error,
    boolean retryable,
    long millis,
    Map<String, String> details,
    int lane,
    boolean declined,
    long waitedMillis) {

  /** Largest value or error a result may carry, in characters. */
  public static final int MAX_TEXT_CHARS = 512 * 1024;

  /** Most details a result may carry. */
  public static final int MAX_DETAILS = 32;

  /** Largest detail value, in characters (a detail name is a short identifier). */
  public static final int MAX_DETAIL_CHARS = 16 * 1024;

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
    details = checkDetails(taskId, details == null ? Map.of() : details);
    if (lane < 0 || lane > SessionRequest.MAX_THREADS) {
      throw new IllegalArgumentException("result for task " + taskId + " on lane " + lane);
    }
    if (declined && value != null) {
      throw new IllegalArgumentException("result for task " + taskId + " is declined and ok");
    }
    if (waitedMillis < 0) {
      throw new IllegalArgumentException(
          "result for task " + taskId + " waited " + waitedMillis + " ms");
    }
  }

  /** A result without a lane. */
  public TaskResult(
      long taskId,
      String value,
      String error,
      boolean retryable,
      long millis,
      Map<String, String> details) {
    this(taskId, value, error, retryable, millis, details, 0, false, 0);
  }

  public static TaskResult ok(long taskId, String value, long millis) {
    return new TaskResult(taskId, value, null, false, millis, Map.of());
  }

  /** A success with details (see {@link #details}). */
  public static TaskResult ok(long taskId, String value, Map<String, String> details, long millis) {
    return new TaskResult(taskId, value, null, false, millis, details);
  }

  public static TaskResult failed(long taskId, String error, boolean retryable, long millis) {
    return new TaskResult(taskId, null, error, retryable, millis, Map.of());
  }

  /** The worker would not run the task by its own settings ({@code why} names the setting). */
  public static TaskResult declined(long taskId, String why, long millis) {
    return new TaskResult(taskId, null, why, true, millis, Map.of(), 0, true, 0);
  }

  /** The same result, run on the worker's thread {@code lane}. */
  public TaskResult onLane(int lane) {
    return new TaskResult(
        taskId, value, error, retryable, millis, details, lane, declined, waitedMillis);
  }

  /** The same result, after waiting {@code waitedMillis} on the worker to be sent. */
  public TaskResult waited(long waitedMillis) {
    return new TaskResult(
        taskId, value, error, retryable, millis, details, lane, declined, waitedMillis);
  }

  public boolean isOk() {
    return error == null;
  }

  /** Roughly how many bytes this result takes on the wire, to keep a call under its cap. */
  public long wireBytes() {
    long bytes =
        64 + 3L * ((value == null ? 0 : value.length()) + (error == null ? 0 : error.length()));
    if (!details.isEmpty()) {
      for (Map.Entry<String, String> e : details.entrySet()) {
        bytes += 8 + 3L * (e.getKey().length() + e.getValue().length());
      }
    }
    return bytes;
  }

  void write(Packer out) {
    out.i64(taskId)
        .text(value)
        .text(error)
        .bool(retryable)
        .i64(millis)
        .textMap(details)
        .i32(lane)
        .bool(declined)
        .i64(waitedMillis);
  }

  static TaskResult read(Unpacker in) throws InvalidObjectException {
    return new TaskResult(
        in.i64(),
        in.text(MAX_TEXT_CHARS),
        in.text(MAX_TEXT_CHARS),
        in.bool(),
        in.i64(),
        in.textMap(MAX_DETAILS, MAX_DETAIL_CHARS),
        in.i32(),
        in.bool(),
        in.i64());
  }

  private static void checkLength(long taskId, String text) {
    if (text != null && text.length() > MAX_TEXT_CHARS) {
      throw new IllegalArgumentException(
          "result for task "
              + taskId
              + " is "
              + text.length()
              + " chars; the limit is "
              + MAX_TEXT_CHARS);
    }
  }

  /** Copies the details into an immutable map after checking names, sizes and count. */
  private static Map<String, String> checkDetails(long taskId, Map<String, String> details) {
    if (details.size() > MAX_DETAILS) {
      throw new IllegalArgumentException(
          "result for task "
              + taskId
              + " has "
              + details.size()
              + " details; the limit is "
              + MAX_DETAILS);
    }
    for (Map.Entry<String, String> e : details.entrySet()) {
      if (!isDetailName(e.getKey())) {
        throw new IllegalArgumentException(
            "result for task "
                + taskId
                + ": detail name '"
                + e.getKey()
                + "' is not 1 to 32 letters and digits starting with a letter");
      }
      if (e.getValue() == null || e.getValue().length() > MAX_DETAIL_CHARS) {
        throw new IllegalArgumentException(
            "result for task "
                + taskId
                + ": detail "
                + e.getKey()
                + " must be a text of at most "
                + MAX_DETAIL_CHARS
                + " chars");
      }
    }
    return Map.copyOf(details);
  }

  /** camelCase identifiers, so every detail can be a JSON field and a CSV column name. */
  private static boolean isDetailName(String name) {
    if (name == null
        || name.isEmpty()
        || name.length() > 32
        || !Character.isLetter(name.charAt(0))) {
      return false;
    }
    return name.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
  }
}
