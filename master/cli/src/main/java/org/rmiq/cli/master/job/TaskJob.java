package org.rmiq.cli.master.job;

import java.util.ArrayList;
import java.util.List;
import org.rmiq.api.TaskKinds;
import org.rmiq.master.JobSpec;

/**
 * {@code task KIND INPUTS}: tasks of any kind the workers run (a plugin's, say). INPUTS read as
 * {@code square} reads its numbers: {@code a,b,c}, integer ranges {@code 1..100} (expanded), a mix,
 * or {@code @FILE} / {@code -} with one input (or range) per line.
 */
public final class TaskJob extends JobKind {
  private final String kind;
  private final List<String> inputs;

  private TaskJob(String spec, String kind, List<String> inputs) {
    super(spec);
    this.kind = kind;
    this.inputs = inputs;
  }

  static TaskJob parse(List<String> args, JobContext context) {
    if (args.size() != 2) {
      throw new IllegalArgumentException(
          "job task takes a kind and its inputs (task KIND INPUTS, e.g. task isprime 1..100 or"
              + " task isprime @inputs.txt), got "
              + args.size()
              + " argument(s)");
    }
    String kind = TaskKinds.check(args.get(0));
    return new TaskJob(
        "task " + kind + " " + args.get(1), kind, inputs(args.get(1), context.sources()));
  }

  static TaskJob described(String spec, String kind) {
    return new TaskJob(spec, kind, List.of());
  }

  /** The inputs a word names: items and integer ranges, or the lines of a file. */
  static List<String> inputs(String spec, Sources sources) {
    List<String> inputs = new ArrayList<>();
    if (InputLines.isSource(spec)) {
      for (InputLines.Line line : InputLines.read(spec, sources)) {
        add(line.text(), line.where(), inputs);
      }
    } else {
      for (String item : spec.split(",", -1)) {
        add(item, "INPUTS", inputs);
      }
    }
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no inputs in " + spec);
    }
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).length() > JobSpec.MAX_INPUT_CHARS) {
        throw new IllegalArgumentException(
            "input "
                + (i + 1)
                + " of "
                + spec
                + " is "
                + inputs.get(i).length()
                + " characters; a task input may have at most "
                + JobSpec.MAX_INPUT_CHARS);
      }
    }
    return inputs;
  }

  /** An integer range expands as in {@code square}; anything else is one input as it is. */
  private static void add(String item, String where, List<String> inputs) {
    if (NumberList.isRange(item)) {
      inputs.addAll(NumberList.parse(item.strip(), where));
    } else {
      inputs.add(item);
    }
    if (inputs.size() > NumberList.MAX_COUNT) {
      throw new IllegalArgumentException(
          where
              + ": more than "
              + NumberList.MAX_COUNT
              + " inputs is more than one job takes; split it into several jobs");
    }
  }

  @Override
  public String title() {
    return inputs.size() + " " + kind + " task(s)";
  }

  @Override
  String taskKind() {
    return kind;
  }

  @Override
  List<String> inputs() {
    return inputs;
  }
}
