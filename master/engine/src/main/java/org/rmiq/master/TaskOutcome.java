package org.rmiq.master;

import java.util.Map;

/**
 * A collected task: its input and, exactly once per task id, its final result.
 *
 * @param id the task id
 * @param jobId the job it belongs to
 * @param kind the task kind, e.g. {@code square}
 * @param input the task's input
 * @param ok whether the task succeeded
 * @param value the result when it succeeded, else null
 * @param error why it failed (the last attempt's error), else null
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
    boolean ok,
    String value,
    String error,
    String worker,
    int attempts,
    long millis,
    Map<String, String> details) {

  public TaskOutcome {
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** {@code ok} or {@code failed}, as written to result files. */
  public String status() {
    return ok ? "ok" : "failed";
  }
}
