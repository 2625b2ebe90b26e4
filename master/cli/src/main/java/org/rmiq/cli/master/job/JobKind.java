package org.rmiq.cli.master.job;

import java.time.Duration;
import java.util.List;
import org.rmiq.master.JobSpec;
import org.rmiq.report.TaskOutcome;
import org.rmiq.util.Printable;

/**
 * One kind of job the master runs, owning everything about it: how its words become tasks (parsed
 * once), its task kind, how a result prints, the reduce step that combines results (if any), the
 * extra columns of {@code --out}, and its default no-progress timeout. {@link JobKinds} finds the
 * kind for a job's words.
 *
 * <p>A kind is also built from a job's words alone, without reading its inputs ({@link
 * JobKinds#describe}): for a job resumed from a journal, or submitted to a session master, whose
 * results are printed by whoever waits for them.
 */
public abstract class JobKind {
  /** How long a job waits for a result, while workers are connected, unless told otherwise. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final String spec;

  /**
   * @param spec the job's words as typed, e.g. {@code square 1..100} (shown and journaled)
   */
  JobKind(String spec) {
    this.spec = spec;
  }

  /** The job as typed. */
  public final String spec() {
    return spec;
  }

  /** A short description for the start-up message, e.g. {@code square 100 number(s)}. */
  public abstract String title();

  /** The task kind its tasks run as. */
  abstract String taskKind();

  /** One input per task; empty for a kind described from its words alone. */
  abstract List<String> inputs();

  /** The SHA-256 of shipped code its kind comes from, or null. */
  String code() {
    return null;
  }

  /** A result as one line on stdout; control characters from workers are escaped. */
  public final String line(TaskOutcome o) {
    // A replicated task names every worker that agreed on it.
    String agreed = o.details().isEmpty() ? null : o.details().get(TaskOutcome.AGREED);
    String by = "  (" + Printable.of(agreed != null ? agreed : o.worker()) + ")";
    if (!o.ok()) {
      return "task "
          + o.id()
          + " "
          + o.kind()
          + " "
          + Printable.of(o.input(), 200)
          + " FAILED after "
          + o.attempts()
          + " attempt(s): "
          + Printable.of(o.error(), 500)
          + by;
    }
    return Printable.of(success(o), 4000) + by;
  }

  /** A successful result's line, before escaping. */
  String success(TaskOutcome o) {
    return "task " + o.id() + " " + o.kind() + " " + o.input() + " = " + o.value();
  }

  /** A new reduce step for one run of the job, or null when results are not combined. */
  public Reduction reduction() {
    return null;
  }

  /** The details its results carry that get columns of their own in a CSV {@code --out}. */
  public List<String> detailColumns() {
    return List.of();
  }

  /** How long to wait for a result while workers are connected, unless {@code --timeout}. */
  public Duration defaultTimeout() {
    return DEFAULT_TIMEOUT;
  }

  /** The job for the master engine. */
  public JobSpec toSpec(int maxAttempts, Duration taskTimeout) {
    return toSpec(maxAttempts, taskTimeout, 1);
  }

  public JobSpec toSpec(int maxAttempts, Duration taskTimeout, int replicas) {
    return new JobSpec(spec, taskKind(), inputs(), maxAttempts, taskTimeout, code(), replicas);
  }

  /** The job for the master engine, with every option it was typed with. */
  public JobSpec toSpec(JobOptions options) {
    return toSpec(
            options.maxAttemptsOrDefault(),
            options.taskTimeoutOrDefault(),
            options.replicasOrDefault())
        .withOptions(options.typed());
  }
}
