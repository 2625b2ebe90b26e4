package org.rmiq.master;

/**
 * A collected task: its input and, exactly once per task id, its final result.
 *
 * @param id the task id
 * @param kind the task kind, e.g. {@code square}
 * @param input the task's input
 * @param ok whether the task succeeded
 * @param value the result when it succeeded, else null
 * @param error why it failed (the last attempt's error), else null
 * @param worker the name of the worker that produced this outcome
 * @param attempts how many times the task was handed out
 * @param millis how long the final attempt ran on the worker
 * @param details named facts about a success beyond its value (see {@code TaskResult#details})
 */
public record TaskOutcome(
    long id,
    String kind,
    String input,
    boolean ok,
    String value,
    String error,
    String worker,
    int attempts,
    long millis,
    java.util.Map<String, String> details) {

  public TaskOutcome {
    details = details == null ? java.util.Map.of() : java.util.Map.copyOf(details);
  }

  /** An outcome without details. */
  public TaskOutcome(
      long id,
      String kind,
      String input,
      boolean ok,
      String value,
      String error,
      String worker,
      int attempts,
      long millis) {
    this(id, kind, input, ok, value, error, worker, attempts, millis, null);
  }

  /** {@code ok} or {@code failed}, as written to result files. */
  public String status() {
    return ok ? "ok" : "failed";
  }
}
