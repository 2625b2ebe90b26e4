package org.rmiq.cli.master.job;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.report.TaskOutcome;

/**
 * {@code sum A..B}: the CPU-bound range sum, cut into {@code --chunks} near-equal ranges summed on
 * the workers; the master adds them up and checks the total against n(a+b)/2.
 */
public final class RangeSumJob extends JobKind {
  private final BigInteger from;
  private final BigInteger to;
  private final List<String> ranges;

  private RangeSumJob(String spec, BigInteger from, BigInteger to, List<String> ranges) {
    super(spec);
    this.from = from;
    this.to = to;
    this.ranges = ranges;
  }

  static RangeSumJob parse(List<String> args, int chunks) {
    if (args.size() != 1) {
      throw new IllegalArgumentException(
          "job sum takes one argument (A..B, e.g. sum 1..1000000000), got " + args.size());
    }
    String range = args.get(0);
    BigInteger[] bounds = bounds(range);
    BigInteger from = bounds[0];
    BigInteger to = bounds[1];
    BigInteger count = to.subtract(from).add(BigInteger.ONE);
    BigInteger n = count.min(BigInteger.valueOf(chunks));
    List<String> inputs = new ArrayList<>();
    BigInteger start = from;
    for (BigInteger i = BigInteger.ZERO; i.compareTo(n) < 0; i = i.add(BigInteger.ONE)) {
      // Chunk i ends where the (i+1)-th share of the count ends, so sizes differ by at most 1.
      BigInteger end =
          from.add(count.multiply(i.add(BigInteger.ONE)).divide(n)).subtract(BigInteger.ONE);
      inputs.add(start + ".." + end);
      start = end.add(BigInteger.ONE);
    }
    return new RangeSumJob("sum " + range, from, to, inputs);
  }

  static RangeSumJob described(String spec, String range) {
    BigInteger[] bounds = bounds(range);
    return new RangeSumJob(spec, bounds[0], bounds[1], List.of());
  }

  private static BigInteger[] bounds(String range) {
    int dots = range.indexOf("..", range.startsWith("-") ? 1 : 0);
    if (dots < 0) {
      throw new IllegalArgumentException(
          "sum takes a range A..B, e.g. sum 1..1000000000; got '" + range + "'");
    }
    BigInteger from = integer(range.substring(0, dots), range);
    BigInteger to = integer(range.substring(dots + 2), range);
    if (from.compareTo(to) > 0) {
      throw new IllegalArgumentException(
          "sum: range '" + range + "' is empty; write the smaller number first");
    }
    return new BigInteger[] {from, to};
  }

  private static BigInteger integer(String text, String range) {
    try {
      return new BigInteger(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "sum: '" + text + "' in '" + range + "' is not an integer");
    }
  }

  @Override
  public String title() {
    return "sum " + from + ".." + to + " in " + ranges.size() + " chunk(s)";
  }

  @Override
  String taskKind() {
    return "rangesum";
  }

  @Override
  List<String> inputs() {
    return ranges;
  }

  @Override
  String success(TaskOutcome o) {
    return "task " + o.id() + ": sum " + o.input() + " = " + o.value();
  }

  @Override
  public Reduction reduction() {
    return new Reduction.RangeSum(from, to);
  }
}
