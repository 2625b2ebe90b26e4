package org.rmiq.master;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.rmiq.internal.wire.Task;

/**
 * A job to run: its tasks' kind and inputs, and the rules for its attempts.
 *
 * @param spec the job as the user wrote it, e.g. {@code square 1..100} (shown and journaled)
 * @param kind the task kind
 * @param inputs one input per task
 * @param maxAttempts how many times a task is handed out before a retryable failure is final
 * @param taskTimeout how long one attempt may run (the worker interrupts it, the master hands the
 *     task to another worker); zero for no limit
 * @param code the SHA-256 of the shipped code that defines {@code kind}, or null
 */
public record JobSpec(
    String spec,
    String kind,
    List<String> inputs,
    int maxAttempts,
    Duration taskTimeout,
    String code) {

  public JobSpec {
    Objects.requireNonNull(spec, "spec");
    Task.checkKind(kind);
    inputs = List.copyOf(inputs);
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("max attempts must be 1..100, was " + maxAttempts);
    }
    if (taskTimeout == null || taskTimeout.isNegative()) {
      throw new IllegalArgumentException("a task timeout must be zero or positive");
    }
  }

  /** A job of {@code kind} with the master's default attempts and no task timeout. */
  public static JobSpec of(String spec, String kind, List<String> inputs) {
    return new JobSpec(spec, kind, inputs, 3, Duration.ZERO, null);
  }

  public JobSpec withMaxAttempts(int attempts) {
    return new JobSpec(spec, kind, inputs, attempts, taskTimeout, code);
  }

  public JobSpec withTaskTimeout(Duration timeout) {
    return new JobSpec(spec, kind, inputs, maxAttempts, timeout, code);
  }

  public JobSpec withCode(String sha256) {
    return new JobSpec(spec, kind, inputs, maxAttempts, taskTimeout, sha256);
  }
}
