package org.rmiq.cli.master;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the master command was asked to run: a task kind and its inputs.
 *
 * @param kind the task kind
 * @param inputs one input per task
 * @param title a short description for the start-up message
 */
record Job(String kind, List<String> inputs, String title) {
  private static final Pattern SLEEP = Pattern.compile("(\\d{1,7})(?:x(\\d{1,7}))?");
  static final long MAX_SLEEP_MILLIS = 3_600_000;

  /**
   * Parses the JOB words of the command line.
   *
   * @throws IllegalArgumentException naming the bad word and the accepted forms
   */
  static Job parse(List<String> words, InputStream stdin, Random random) {
    return parse(words, stdin, random, DEFAULT_CHUNKS);
  }

  static final int DEFAULT_CHUNKS = 8;

  /** Like {@link #parse(List, InputStream, Random)}; {@code chunks} splits sum and wordcount. */
  static Job parse(List<String> words, InputStream stdin, Random random, int chunks) {
    return parse(words, stdin, random, JobOptions.withChunks(chunks));
  }

  /** Like {@link #parse(List, InputStream, Random)}, shaped by the job flags. */
  static Job parse(List<String> words, InputStream stdin, Random random, JobOptions options) {
    int chunks = options.chunks();
    if (words.isEmpty()) {
      List<String> numbers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        numbers.add(Integer.toString(random.nextInt(10_001)));
      }
      return new Job("square", numbers, "the classic demo: square 10 random numbers");
    }
    String name = words.get(0);
    if (name.equals("task")) {
      return task(words, stdin);
    }
    if (name.equals("download")) {
      return DownloadList.parse(words.subList(1, words.size()), stdin, options);
    }
    if (name.equals("sum") || name.equals("wordcount")) {
      if (words.size() != 2) {
        throw new IllegalArgumentException(
            "job "
                + name
                + " takes one argument ("
                + (name.equals("sum") ? "A..B, e.g. sum 1..1000000000" : "@FILE[,@FILE…] or -")
                + "), got "
                + (words.size() - 1));
      }
      return name.equals("sum")
          ? Chunks.rangeSum(words.get(1), chunks)
          : Chunks.wordCount(words.get(1), stdin, chunks);
    }
    if (!name.equals("square") && !name.equals("sleep")) {
      throw new IllegalArgumentException(
          "unknown job '"
              + name
              + "'; the jobs are: square"
              + " NUMBERS, sleep MILLIS[xCOUNT], sum A..B, wordcount @FILES, download @URLS, task"
              + " KIND INPUTS, or"
              + " none for the classic demo");
    }
    if (words.size() != 2) {
      throw new IllegalArgumentException(
          "job "
              + name
              + " takes exactly one argument ("
              + (name.equals("square")
                  ? "NUMBERS, e.g. 1..100 or 3,5,8 or @numbers.txt"
                  : "MILLIS[xCOUNT], e.g. 200x40")
              + "), got "
              + (words.size() - 1));
    }
    String arg = words.get(1);
    if (name.equals("square")) {
      List<String> numbers = NumberList.parse(arg, stdin);
      return new Job("square", numbers, "square " + numbers.size() + " number(s)");
    }
    return sleep(arg);
  }

  /** {@code task KIND INPUTS}: any kind a worker runs; INPUTS is a,b,c or @FILE or -. */
  private static Job task(List<String> words, InputStream stdin) {
    if (words.size() != 3) {
      throw new IllegalArgumentException(
          "job task takes a kind and its inputs (task KIND"
              + " INPUTS, e.g. task isprime 1,2,3 or task isprime @inputs.txt), got "
              + (words.size() - 1)
              + " argument(s)");
    }
    String kind = org.rmiq.internal.wire.Task.checkKind(words.get(1));
    String spec = words.get(2);
    List<String> inputs =
        InputLines.isSource(spec)
            ? InputLines.read(spec, stdin).stream().map(InputLines.Line::text).toList()
            : List.of(spec.split(",", -1));
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no inputs in " + spec);
    }
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).length() > org.rmiq.internal.wire.Task.MAX_INPUT_CHARS) {
        throw new IllegalArgumentException(
            "input "
                + (i + 1)
                + " of "
                + spec
                + " is "
                + inputs.get(i).length()
                + " characters; a task input may have at most "
                + org.rmiq.internal.wire.Task.MAX_INPUT_CHARS);
      }
    }
    return new Job(kind, inputs, inputs.size() + " " + kind + " task(s)");
  }

  private static Job sleep(String arg) {
    Matcher m = SLEEP.matcher(arg);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "sleep '" + arg + "' is not MILLIS[xCOUNT]; e.g. 200x40" + " for 40 tasks of 200 ms");
    }
    long millis = Long.parseLong(m.group(1));
    int count = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
    if (millis > MAX_SLEEP_MILLIS || count < 1) {
      throw new IllegalArgumentException(
          "sleep '" + arg + "': MILLIS must be 0.." + MAX_SLEEP_MILLIS + " and COUNT at least 1");
    }
    return new Job(
        "sleep",
        java.util.Collections.nCopies(count, Long.toString(millis)),
        count + " sleep task(s) of " + millis + " ms");
  }
}
