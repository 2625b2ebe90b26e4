package org.rmiq.cli.master.job;

import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rmiq.report.TaskOutcome;

/** {@code sleep MILLIS[xCOUNT]}: COUNT tasks that each sleep MILLIS, for timing demos. */
public final class SleepJob extends JobKind {
  private static final Pattern SLEEP = Pattern.compile("(\\d{1,7})(?:x(\\d{1,7}))?");
  static final long MAX_SLEEP_MILLIS = 3_600_000;

  private final List<String> inputs;
  private final String title;

  private SleepJob(String spec, List<String> inputs, String title) {
    super(spec);
    this.inputs = inputs;
    this.title = title;
  }

  static SleepJob parse(List<String> args) {
    if (args.size() != 1) {
      throw new IllegalArgumentException(
          "job sleep takes exactly one argument (MILLIS[xCOUNT], e.g. 200x40), got " + args.size());
    }
    String arg = args.get(0);
    Matcher m = SLEEP.matcher(arg);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "sleep '" + arg + "' is not MILLIS[xCOUNT]; e.g. 200x40 for 40 tasks of 200 ms");
    }
    long millis = Long.parseLong(m.group(1));
    int count = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
    if (millis > MAX_SLEEP_MILLIS || count < 1) {
      throw new IllegalArgumentException(
          "sleep '" + arg + "': MILLIS must be 0.." + MAX_SLEEP_MILLIS + " and COUNT at least 1");
    }
    return new SleepJob(
        "sleep " + arg,
        Collections.nCopies(count, Long.toString(millis)),
        count + " sleep task(s) of " + millis + " ms");
  }

  static SleepJob described(String spec) {
    return new SleepJob(spec, List.of(), spec);
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  String taskKind() {
    return "sleep";
  }

  @Override
  List<String> inputs() {
    return inputs;
  }

  @Override
  String success(TaskOutcome o) {
    return "task " + o.id() + ": " + o.value();
  }
}
