package org.rmiq.cli.master.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.cli.DurationConverter;
import org.rmiq.cli.master.follow.ResultFile;
import org.rmiq.master.JobSpec;
import picocli.CommandLine.Option;

/**
 * The options one job takes, wherever it is typed: on the one-shot master's command line, at a
 * session's prompt, or with {@code rmiq-submit.sh}. Those that shape the tasks travel with a
 * submitted job to the master; {@code --out}, {@code --timeout} and how results print stay with
 * whoever waits for them.
 */
public final class JobOptions {
  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write results to FILE: .jsonl (JSON lines) or .csv.")
  public Path out;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Give up when no result arrived for this long while workers are connected (or after"
              + " the last one left), e.g. 500ms, 10s, 2m. Default: 30s (2m for download).")
  public Duration timeout;

  @Option(
      names = "--wait-for-workers",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Give up when no worker joined within DURATION (exit 3). Default: wait as long as it"
              + " takes, saying so every 10 s.")
  public Duration waitForWorkers;

  @Option(
      names = "--queue-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "On a session master, give up (exit 3) when the job is still queued behind others"
              + " after DURATION; its --timeout counts only once it runs. Default: wait its turn.")
  public Duration queueTimeout;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description = "Hand a task out at most N times before its failure is final. Default: 3.")
  Integer maxAttempts;

  @Option(
      names = "--task-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "An attempt that runs longer fails (retried up to --max-attempts); the master hands"
              + " the task to another worker. Default: no limit.")
  Duration taskTimeout;

  @Option(
      names = "--replicas",
      paramLabel = "N",
      description =
          "Run each task on N different workers (1-3) and count it only if their values agree;"
              + " a disagreement fails the task, naming each worker's answer. For graded work."
              + " Default: 1.")
  Integer replicas;

  @Option(
      names = "--chunks",
      paramLabel = "N",
      description = "How many tasks sum and wordcount split their input into. Default: 8.")
  Integer chunks;

  @Option(
      names = "--skip-bad-lines",
      description =
          "download: skip (and list) lines of the URL list that are not http(s) URLs, instead"
              + " of refusing the job.")
  public boolean skipBadLines;

  @Option(
      names = "--print-results",
      description =
          "Print one line per result even when stdout is a terminal (where a progress bar"
              + " shows instead).")
  public boolean printResults;

  public int chunksOrDefault() {
    return chunks == null ? JobContext.DEFAULT_CHUNKS : chunks;
  }

  public int maxAttemptsOrDefault() {
    return maxAttempts == null ? 3 : maxAttempts;
  }

  public int replicasOrDefault() {
    return replicas == null ? 1 : replicas;
  }

  public Duration taskTimeoutOrDefault() {
    return taskTimeout == null ? Duration.ZERO : taskTimeout;
  }

  /**
   * The job context with this job's own {@code --chunks} and {@code --skip-bad-lines}: a job at a
   * session's prompt or from a submitter shapes its tasks by its own options, not the session's.
   */
  public JobContext applyTo(JobContext context) {
    return new JobContext(
        context.sources(),
        context.random(),
        chunks == null ? context.chunks() : chunks,
        context.skipBadLines() || skipBadLines,
        context.served(),
        context.warnings(),
        context.code());
  }

  /** Checks what picocli cannot, naming the flag. */
  public void check() {
    if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > 100)) {
      throw new IllegalArgumentException("--max-attempts " + maxAttempts + " must be 1..100");
    }
    if (replicas != null && (replicas < 1 || replicas > JobSpec.MAX_REPLICAS)) {
      throw new IllegalArgumentException(
          "--replicas "
              + replicas
              + " must be 1.."
              + JobSpec.MAX_REPLICAS
              + " (each task runs on that many different workers)");
    }
    if (chunks != null && (chunks < 1 || chunks > 100_000)) {
      throw new IllegalArgumentException("--chunks " + chunks + " must be 1..100000");
    }
    // a zero --timeout or --queue-timeout is refused by the duration converter already
    if (out != null) {
      ResultFile.check(out);
    }
  }

  /**
   * The options that belong to whoever follows the job, not to the master that runs it: when a
   * submitted job's words carry them, they were typed after the job; names the first, or null.
   */
  public String followerOption() {
    if (out != null) {
      return "--out";
    }
    if (timeout != null) {
      return "--timeout";
    }
    if (queueTimeout != null) {
      return "--queue-timeout";
    }
    if (waitForWorkers != null) {
      return "--wait-for-workers";
    }
    return printResults ? "--print-results" : null;
  }

  /** Every job option's name, for help and the prompt's completion (read from the options). */
  public static List<String> names() {
    return picocli.CommandLine.Model.CommandSpec.forAnnotatedObject(new JobOptions())
        .options()
        .stream()
        .map(o -> o.longestName())
        .sorted()
        .toList();
  }

  /**
   * The options that shape the job's tasks, as they would be typed (e.g. {@code --chunks 16
   * --replicas 2}), for people reading the status page; empty when none.
   */
  public String typed() {
    List<String> words = new ArrayList<>();
    for (String word : forMaster()) {
      words.add(word.replaceFirst("=", " "));
    }
    return String.join(" ", words);
  }

  /**
   * Every option as typed at a session's prompt, those of whoever follows the job included ({@code
   * --out}, {@code --timeout}, …): journaled with a prompt job, so the next session that resumes it
   * writes the same {@code --out} and keeps the same clocks. Words with spaces are quoted as the
   * prompt reads them.
   */
  public String typedAtPrompt() {
    List<String> words = new ArrayList<>();
    String shaping = typed();
    if (!shaping.isEmpty()) {
      words.add(shaping);
    }
    if (out != null) {
      words.add("--out " + quoted(out.toString()));
    }
    if (timeout != null) {
      words.add("--timeout " + org.rmiq.util.Durations.format(timeout));
    }
    if (queueTimeout != null) {
      words.add("--queue-timeout " + org.rmiq.util.Durations.format(queueTimeout));
    }
    if (waitForWorkers != null) {
      words.add("--wait-for-workers " + org.rmiq.util.Durations.format(waitForWorkers));
    }
    if (printResults) {
      words.add("--print-results");
    }
    return String.join(" ", words);
  }

  private static String quoted(String word) {
    if (word.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"')) {
      return word;
    }
    return word.indexOf('\'') < 0 ? "'" + word + "'" : '"' + word + '"';
  }

  /** The options a master needs to build the job's tasks, as words to send along with it. */
  public List<String> forMaster() {
    List<String> words = new ArrayList<>();
    if (maxAttempts != null) {
      words.add("--max-attempts=" + maxAttempts);
    }
    if (taskTimeout != null) {
      words.add("--task-timeout=" + org.rmiq.util.Durations.format(taskTimeout));
    }
    if (chunks != null) {
      words.add("--chunks=" + chunks);
    }
    if (replicas != null) {
      words.add("--replicas=" + replicas);
    }
    if (skipBadLines) {
      words.add("--skip-bad-lines");
    }
    return words;
  }
}
