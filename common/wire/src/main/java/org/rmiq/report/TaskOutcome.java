package org.rmiq.report;

import java.util.Map;

/**
 * A collected task: its input and, exactly once per task id, its final result.
 *
 * @param id the task id
 * @param jobId the job it belongs to
 * @param kind the task kind, e.g. {@code square}
 * @param input the task's input
 * @param state whether the task succeeded, failed (a dead letter), or was cancelled (withdrawn with
 *     its job, never a failure of the task)
 * @param value the result when it succeeded, else null
 * @param error why it failed or was cancelled (the last attempt's error, or the reason), else null
 * @param worker the name of the worker that produced this outcome ({@code -} when none did)
 * @param attempts how many times the task was handed out
 * @param millis how long the final attempt ran on the worker
 * @param details named facts about a success beyond its value (a download's {@code sha256}…)
 */
public record TaskOutcome(
    long id,
    long jobId,
    String kind,
    String input,
    State state,
    String value,
    String error,
    String worker,
    int attempts,
    long millis,
    Map<String, String> details) {

  /**
   * The detail of a task run on several workers ({@code --replicas}) that names every worker whose
   * answers agreed, e.g. {@code alice, bob}; {@link #worker} names the last of them only.
   */
  public static final String AGREED = "agreed";

  /** How a task ended. */
  public enum State {
    OK,
    FAILED,
    CANCELLED;

    /** The name in lower case, made once: it is written for each of a million results. */
    private final String status = name().toLowerCase(java.util.Locale.ROOT);
  }

  public TaskOutcome {
    java.util.Objects.requireNonNull(state, "state");
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** Whether it succeeded. */
  public boolean ok() {
    return state == State.OK;
  }

  /** Whether it was withdrawn with its cancelled job (neither a success nor a failure). */
  public boolean cancelled() {
    return state == State.CANCELLED;
  }

  /** Whether it failed: a dead letter, with its last error. */
  public boolean failed() {
    return state == State.FAILED;
  }

  /** {@code ok}, {@code failed} or {@code cancelled}, as written to result files. */
  public String status() {
    return state.status;
  }
}
