package org.rmiq.cli.master.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.cli.CommandModel;
import org.rmiq.cli.DurationConverter;
import org.rmiq.cli.master.follow.ResultFile;
import org.rmiq.master.JobSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options one job takes, wherever it is typed: on the one-shot master's command line, at a
 * session's prompt, or with {@code rmiq-submit.sh}. Those that shape the tasks travel with a
 * submitted job to the master; {@code --out}, {@code --timeout} and how results print stay with
 * whoever waits for them.
 */
public final class JobOptions {
  // The options' values, written by the command line (addTo).
  public Path out;
  public Duration timeout;
  public Duration waitForWorkers;
  public Duration queueTimeout;
  Integer maxAttempts;
  Duration taskTimeout;
  Integer replicas;
  Integer chunks;
  public boolean skipBadLines;
  public boolean printResults;

  /** A model of these options alone. */
  public CommandSpec model() {
    CommandSpec spec = CommandSpec.create();
    addTo(spec);
    return spec;
  }

  /**
   * Adds these options to {@code spec}, in the order the help lists them ({@link CommandModel}).
   */
  public void addTo(CommandSpec spec) {
    spec.addOption(
        CommandModel.option(Path.class, v -> out = v, "--out")
            .paramLabel("FILE")
            .description("Also write results to FILE: .jsonl (JSON lines) or .csv.")
            .build());
    spec.addOption(
        CommandModel.option(Duration.class, v -> timeout = v, "--timeout")
            .paramLabel("DURATION")
            .converters(new DurationConverter())
            .description(
                "Give up when no result arrived for this long while workers are connected (or after"
                    + " the last one left), e.g. 500ms, 10s, 2m. Default: 30s (2m for download).")
            .build());
    spec.addOption(
        CommandModel.option(Duration.class, v -> waitForWorkers = v, "--wait-for-workers")
            .paramLabel("DURATION")
            .converters(new DurationConverter())
            .description(
                "Give up when no worker joined within DURATION (exit 3). Default: wait as long as it"
                    + " takes, saying so every 10 s.")
            .build());
    spec.addOption(
        CommandModel.option(Duration.class, v -> queueTimeout = v, "--queue-timeout")
            .paramLabel("DURATION")
            .converters(new DurationConverter())
            .description(
                "On a session master, give up (exit 3) when the job is still queued behind others"
                    + " after DURATION; its --timeout counts only once it runs. Default: wait its turn.")
            .build());
    spec.addOption(
        CommandModel.option(Integer.class, v -> maxAttempts = v, "--max-attempts")
            .paramLabel("N")
            .description("Hand a task out at most N times before its failure is final. Default: 3.")
            .build());
    spec.addOption(
        CommandModel.option(Duration.class, v -> taskTimeout = v, "--task-timeout")
            .paramLabel("DURATION")
            .converters(new DurationConverter())
            .description(
                "An attempt that runs longer fails (retried up to --max-attempts); the master hands"
                    + " the task to another worker. Default: no limit.")
            .build());
    spec.addOption(
        CommandModel.option(Integer.class, v -> replicas = v, "--replicas")
            .paramLabel("N")
            .description(
                "Run each task on N different workers (1-3) and count it only if their values agree;"
                    + " a disagreement fails the task, naming each worker's answer. For graded work."
                    + " Default: 1.")
            .build());
    spec.addOption(
        CommandModel.option(Integer.class, v -> chunks = v, "--chunks")
            .paramLabel("N")
            .description("How many tasks sum and wordcount split their input into. Default: 8.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> skipBadLines = v, "--skip-bad-lines")
            .description(
                "download: skip (and list) lines of the URL list that are not http(s) URLs, instead"
                    + " of refusing the job.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> printResults = v, "--print-results")
            .description(
                "Print one line per result even when stdout is a terminal (where a progress bar"
                    + " shows instead).")
            .build());
  }

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
    return new JobOptions().model().options().stream().map(o -> o.longestName()).sorted().toList();
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
