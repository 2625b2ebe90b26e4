package org.rmiq.master.cli;

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
    if (words.isEmpty()) {
      List<String> numbers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        numbers.add(Integer.toString(random.nextInt(10_001)));
      }
      return new Job("square", numbers, "the classic demo: square 10 random numbers");
    }
    String name = words.get(0);
    if (!name.equals("square") && !name.equals("sleep")) {
      throw new IllegalArgumentException("unknown job '" + name + "'; the jobs are: square"
          + " NUMBERS, sleep MILLIS[xCOUNT], or none for the classic demo");
    }
    if (words.size() != 2) {
      throw new IllegalArgumentException("job " + name + " takes exactly one argument ("
          + (name.equals("square") ? "NUMBERS, e.g. 1..100 or 3,5,8 or @numbers.txt"
              : "MILLIS[xCOUNT], e.g. 200x40") + "), got " + (words.size() - 1));
    }
    String arg = words.get(1);
    if (name.equals("square")) {
      List<String> numbers = NumberList.parse(arg, stdin);
      return new Job("square", numbers, "square " + numbers.size() + " number(s)");
    }
    return sleep(arg);
  }

  private static Job sleep(String arg) {
    Matcher m = SLEEP.matcher(arg);
    if (!m.matches()) {
      throw new IllegalArgumentException("sleep '" + arg + "' is not MILLIS[xCOUNT]; e.g. 200x40"
          + " for 40 tasks of 200 ms");
    }
    long millis = Long.parseLong(m.group(1));
    int count = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
    if (millis > MAX_SLEEP_MILLIS || count < 1) {
      throw new IllegalArgumentException("sleep '" + arg + "': MILLIS must be 0.."
          + MAX_SLEEP_MILLIS + " and COUNT at least 1");
    }
    return new Job("sleep", java.util.Collections.nCopies(count, Long.toString(millis)),
        count + " sleep task(s) of " + millis + " ms");
  }
}
