package org.rmiq.cli.master;

import java.util.List;

/** Finds the {@link JobKind} for a job's words: the one place that knows every job by name. */
final class JobKinds {
  private JobKinds() {}

  /** The job names, for help and tab completion. */
  static final List<String> NAMES =
      List.of("square", "sleep", "sum", "wordcount", "download", "task", "run");

  /** One line per job, for help texts. */
  static final List<String> USAGE =
      List.of(
          "  square NUMBERS        3,5,8 or 1..1000 or @FILE (one per line) or -",
          "                        (stdin); integers of any size",
          "  sleep MILLIS[xCOUNT]  COUNT tasks that each sleep MILLIS, e.g. 200x40",
          "  sum A..B              the CPU-bound range sum: --chunks ranges summed on the",
          "                        workers, added up and checked on the master",
          "  wordcount @FILE[,…]   MapReduce: workers count the words of --chunks pieces,",
          "                        the master merges them; --out gets all the counts",
          "  download URLS         fetch each URL on the workers: @FILE (one per line)",
          "                        or - (stdin); with --serve DIR and no URLS, every",
          "                        file served. Files land in the workers' --download-dir",
          "                        (and in --collect DIR here)",
          "  task KIND INPUTS      tasks of any kind the workers run; INPUTS as for square",
          "                        (a,b,c or 1..100 or @FILE or -), kept as text",
          "  run FILE.java INPUTS  compile FILE.java here (one class with a static",
          "                        apply(String), or a TaskHandler) and run it on the",
          "                        workers that accept code; INPUTS as for task");

  /**
   * Parses a job's words (the job name first); no words is the classic demo.
   *
   * @throws IllegalArgumentException naming the bad word and the accepted forms
   */
  static JobKind parse(List<String> words, JobContext context) {
    if (words.isEmpty()) {
      return SquareJob.demo(context.random());
    }
    String name = words.get(0);
    List<String> args = words.subList(1, words.size());
    return switch (name) {
      case "square" -> SquareJob.parse(args, context);
      case "sleep" -> SleepJob.parse(args);
      case "sum" -> RangeSumJob.parse(args, context.chunks());
      case "wordcount" -> WordCountJob.parse(args, context);
      case "download" -> DownloadJob.parse(args, context);
      case "task" -> TaskJob.parse(args, context);
      case "run" -> RunJob.parse(args, context);
      default -> throw unknown(name);
    };
  }

  /**
   * The kind of a job from its spec alone, without reading its inputs: to print, reduce and write
   * the results of a job resumed from a journal or run by a session master.
   */
  static JobKind describe(String spec) {
    String[] words = spec.split(" ", -1);
    String arg = words.length > 1 ? words[1] : "";
    return switch (words[0]) {
      case "square" -> SquareJob.described(spec);
      case "sleep" -> SleepJob.described(spec);
      case "sum" -> RangeSumJob.described(spec, arg);
      case "wordcount" -> WordCountJob.described(spec, arg);
      case "download" -> DownloadJob.described(spec);
      case "task" -> TaskJob.described(spec, arg);
      case "run" -> RunJob.described(spec, arg);
      default -> throw unknown(words[0]);
    };
  }

  private static IllegalArgumentException unknown(String name) {
    return new IllegalArgumentException(
        "unknown job '"
            + name
            + "'; the jobs are: square NUMBERS, sleep MILLIS[xCOUNT], sum A..B, wordcount"
            + " @FILES, download @URLS, task KIND INPUTS, run FILE.java INPUTS, or none for the"
            + " classic demo");
  }
}
