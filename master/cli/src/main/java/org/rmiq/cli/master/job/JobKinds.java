package org.rmiq.cli.master.job;

import java.util.List;

/**
 * Every job the master knows, in one table: its name, its usage lines, how its words are parsed,
 * and how it is described from its spec alone. Help, the prompt's completion, parsing and the
 * "unknown job" message all read this table, so a job is added in one place.
 */
public final class JobKinds {
  private JobKinds() {}

  /** Parses a job's arguments (the words after its name). */
  private interface Parser {
    JobKind parse(List<String> args, JobContext context);
  }

  /** Describes a job from its spec and first argument, without reading its inputs. */
  private interface Describer {
    JobKind describe(String spec, String arg);
  }

  /** One job: its name, what follows it, its help lines, and how it is read. */
  private record Entry(
      String name, String synopsis, List<String> help, Parser parser, Describer describer) {}

  private static final List<Entry> TABLE =
      List.of(
          new Entry(
              "square",
              "NUMBERS",
              List.of(
                  "3,5,8 or 1..1000 or @FILE (one per line) or -", "(stdin); integers of any size"),
              SquareJob::parse,
              (spec, arg) -> SquareJob.described(spec)),
          new Entry(
              "sleep",
              "MILLIS[xCOUNT]",
              List.of("COUNT tasks that each sleep MILLIS, e.g. 200x40"),
              (args, context) -> SleepJob.parse(args),
              (spec, arg) -> SleepJob.described(spec)),
          new Entry(
              "sum",
              "A..B",
              List.of(
                  "the CPU-bound range sum: --chunks ranges summed on the",
                  "workers, added up and checked on the master"),
              (args, context) -> RangeSumJob.parse(args, context.chunks()),
              RangeSumJob::described),
          new Entry(
              "wordcount",
              "@FILE[,…]",
              List.of(
                  "MapReduce: workers count the words of --chunks pieces,",
                  "the master merges them; --out gets all the counts"),
              WordCountJob::parse,
              WordCountJob::described),
          new Entry(
              "download",
              "URLS",
              List.of(
                  "fetch each URL on the workers: @FILE (one per line)",
                  "or - (stdin); with --serve DIR and no URLS, every",
                  "file served. Files land in the workers' --download-dir",
                  "(and in --collect DIR here)"),
              DownloadJob::parse,
              (spec, arg) -> DownloadJob.described(spec)),
          new Entry(
              "task",
              "KIND INPUTS",
              List.of(
                  "tasks of any kind the workers run; INPUTS as for square",
                  "(a,b,c or 1..100 or @FILE or -), kept as text"),
              TaskJob::parse,
              TaskJob::described),
          new Entry(
              "run",
              "FILE.java INPUTS",
              List.of(
                  "compile FILE.java here (one class with a static",
                  "apply(String), or a TaskHandler) and run it on the",
                  "workers that accept the teacher's code; INPUTS as for task"),
              RunJob::parse,
              RunJob::described));

  /** The job names, for help and tab completion. */
  public static final List<String> NAMES = TABLE.stream().map(Entry::name).toList();

  /** One line per job (and its continuation lines), for help texts. */
  public static final List<String> USAGE = usage();

  private static List<String> usage() {
    List<String> lines = new java.util.ArrayList<>();
    for (Entry e : TABLE) {
      String head = String.format("  %-22s", e.name() + " " + e.synopsis());
      for (int i = 0; i < e.help().size(); i++) {
        lines.add((i == 0 ? head : " ".repeat(24)) + e.help().get(i));
      }
    }
    return List.copyOf(lines);
  }

  /**
   * Parses a job's words (the job name first); no words is the classic demo.
   *
   * @throws IllegalArgumentException naming the bad word and the accepted forms
   */
  public static JobKind parse(List<String> words, JobContext context) {
    if (words.isEmpty()) {
      return SquareJob.demo(context.random());
    }
    return entry(words.get(0)).parser().parse(words.subList(1, words.size()), context);
  }

  /**
   * The kind of a job from its spec alone, without reading its inputs: to print, reduce and write
   * the results of a job resumed from a journal or run by a session master.
   */
  public static JobKind describe(String spec) {
    String[] words = spec.split(" ", -1);
    return entry(words[0]).describer().describe(spec, words.length > 1 ? words[1] : "");
  }

  private static Entry entry(String name) {
    for (Entry e : TABLE) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown job '"
            + name
            + "'; the jobs are: "
            + String.join(", ", TABLE.stream().map(e -> e.name() + " " + e.synopsis()).toList())
            + ", or none for the classic demo");
  }
}
