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
 * @param replicas how many different workers must each run a task and agree on its value (1 to
 *     {@value #MAX_REPLICAS}); a disagreement fails the task, naming every worker and answer
 * @param options the options it was typed with, as text (e.g. {@code --chunks 16 --replicas 2}),
 *     for people reading the status page; empty when none
 * @param submitter who submitted it, for people: {@code prompt}, {@code teacher}, {@code student
 *     10.0.0.7}; empty for a library's job
 */
public record JobSpec(
    String spec,
    String kind,
    List<String> inputs,
    int maxAttempts,
    Duration taskTimeout,
    String code,
    int replicas,
    String options,
    String submitter) {

  /** The most characters one task's input may have. */
  public static final int MAX_INPUT_CHARS = org.rmiq.internal.wire.Task.MAX_INPUT_CHARS;

  /** The most workers one task may be run on for a cross-check. */
  public static final int MAX_REPLICAS = 3;

  public JobSpec {
    Objects.requireNonNull(spec, "spec");
    Task.checkKind(kind);
    inputs = inputs instanceof NumberRange ? inputs : List.copyOf(inputs); // immutable already
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("max attempts must be 1..100, was " + maxAttempts);
    }
    if (taskTimeout == null || taskTimeout.isNegative()) {
      throw new IllegalArgumentException("a task timeout must be zero or positive");
    }
    if (replicas < 1 || replicas > MAX_REPLICAS) {
      throw new IllegalArgumentException(
          "replicas must be 1.." + MAX_REPLICAS + ", was " + replicas);
    }
    options = Objects.requireNonNullElse(options, "");
    submitter = Objects.requireNonNullElse(submitter, "");
  }

  /** A job with replicas, typed without options, submitted by a library. */
  public JobSpec(
      String spec,
      String kind,
      List<String> inputs,
      int maxAttempts,
      Duration taskTimeout,
      String code,
      int replicas) {
    this(spec, kind, inputs, maxAttempts, taskTimeout, code, replicas, "", "");
  }

  /** A job without replicas (each task runs once), as before replicas existed. */
  public JobSpec(
      String spec,
      String kind,
      List<String> inputs,
      int maxAttempts,
      Duration taskTimeout,
      String code) {
    this(spec, kind, inputs, maxAttempts, taskTimeout, code, 1);
  }

  /** A job of {@code kind} with the master's default attempts and no task timeout. */
  public static JobSpec of(String spec, String kind, List<String> inputs) {
    return new JobSpec(spec, kind, inputs, 3, Duration.ZERO, null);
  }

  public JobSpec withMaxAttempts(int attempts) {
    return new JobSpec(
        spec, kind, inputs, attempts, taskTimeout, code, replicas, options, submitter);
  }

  public JobSpec withTaskTimeout(Duration timeout) {
    return new JobSpec(
        spec, kind, inputs, maxAttempts, timeout, code, replicas, options, submitter);
  }

  public JobSpec withCode(String sha256) {
    return new JobSpec(
        spec, kind, inputs, maxAttempts, taskTimeout, sha256, replicas, options, submitter);
  }

  /** The same job without its inputs (kept for an ended job, whose inputs are in its outcomes). */
  public JobSpec withoutInputs() {
    return new JobSpec(
        spec, kind, List.of(), maxAttempts, taskTimeout, code, replicas, options, submitter);
  }

  /** Each task runs on {@code n} different workers, whose values must agree. */
  public JobSpec withReplicas(int n) {
    return new JobSpec(spec, kind, inputs, maxAttempts, taskTimeout, code, n, options, submitter);
  }

  /** The same job, typed with {@code text} as its options. */
  public JobSpec withOptions(String text) {
    return new JobSpec(
        spec, kind, inputs, maxAttempts, taskTimeout, code, replicas, text, submitter);
  }

  /** The same job, submitted by {@code who}. */
  public JobSpec withSubmitter(String who) {
    return new JobSpec(spec, kind, inputs, maxAttempts, taskTimeout, code, replicas, options, who);
  }

  /** The job as typed, with its options. */
  public String typed() {
    return options.isEmpty() ? spec : spec + " " + options;
  }

  /**
   * How many times a task may be handed out: its attempts, plus one hand-out for each replica
   * beyond the first.
   */
  int handOutLimit() {
    return maxAttempts + replicas - 1;
  }
}
