package org.rmiq.cli.master.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.rmiq.report.TaskOutcome;

/** {@code square NUMBERS}, and the classic demo (no job: 10 random numbers). */
public final class SquareJob extends JobKind {
  private final List<String> numbers;
  private final String title;

  private SquareJob(String spec, List<String> numbers, String title) {
    super(spec);
    this.numbers = numbers;
    this.title = title;
  }

  static SquareJob parse(List<String> args, JobContext context) {
    if (args.size() != 1) {
      throw new IllegalArgumentException(
          "job square takes exactly one argument (NUMBERS, e.g. 1..100 or 3,5,8 or"
              + " @numbers.txt), got "
              + args.size());
    }
    List<String> numbers = NumberList.parse(args.get(0), context.sources());
    return new SquareJob(
        "square " + args.get(0), numbers, "square " + numbers.size() + " number(s)");
  }

  /**
   * The classic demo: 10 random numbers, recorded in its spec so a resumed demo is the same job.
   */
  static SquareJob demo(Random random) {
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      numbers.add(Integer.toString(random.nextInt(10_001)));
    }
    return new SquareJob(
        "square " + String.join(",", numbers),
        numbers,
        "the classic demo: square 10 random numbers");
  }

  static SquareJob described(String spec) {
    return new SquareJob(spec, List.of(), spec);
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  String taskKind() {
    return "square";
  }

  @Override
  List<String> inputs() {
    return numbers;
  }

  @Override
  String success(TaskOutcome o) {
    return o.input() + " * " + o.input() + " = " + o.value();
  }
}
