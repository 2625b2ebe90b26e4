package org.rmiq.worker;

import java.math.BigInteger;
import org.rmiq.api.BadInputException;
import org.rmiq.api.TaskHandler;

/**
 * {@code rangesum}: the sum of the integers {@code A..B}, by adding them one by one — the CPU-bound
 * half of the classic range-sum lesson — exactly, for integers of any size.
 */
public final class RangeSumHandler implements TaskHandler {
  @Override
  public String kind() {
    return "rangesum";
  }

  @Override
  public String execute(String input) throws BadInputException, InterruptedException {
    int dots = input.indexOf("..", 1);
    if (dots < 0) {
      throw new BadInputException("rangesum takes A..B, not '" + input + "'");
    }
    BigInteger from = parse(input.substring(0, dots), input);
    BigInteger to = parse(input.substring(dots + 2), input);
    if (from.compareTo(to) > 0) {
      throw new BadInputException("range '" + input + "' is empty");
    }
    if (from.bitLength() < 63 && to.bitLength() < 63) {
      return sumLongs(from.longValue(), to.longValue()).toString();
    }
    BigInteger sum = BigInteger.ZERO;
    for (BigInteger n = from; n.compareTo(to) <= 0; n = n.add(BigInteger.ONE)) {
      sum = sum.add(n);
      checkInterrupt(n.longValue());
    }
    return sum.toString();
  }

  /** Adds in a long while it cannot overflow, moving the partial sum into a BigInteger. */
  private static BigInteger sumLongs(long from, long to) throws InterruptedException {
    BigInteger total = BigInteger.ZERO;
    long partial = 0;
    for (long n = from; ; n++) {
      long next = partial + n;
      if (((partial ^ next) & (n ^ next)) < 0) { // overflow: bank the partial sum
        total = total.add(BigInteger.valueOf(partial));
        next = n;
      }
      partial = next;
      checkInterrupt(n);
      if (n == to) {
        return total.add(BigInteger.valueOf(partial));
      }
    }
  }

  private static void checkInterrupt(long n) throws InterruptedException {
    if ((n & 0xFFFFF) == 0 && Thread.interrupted()) {
      throw new InterruptedException("range sum interrupted");
    }
  }

  private static BigInteger parse(String text, String input) throws BadInputException {
    try {
      return new BigInteger(text.strip());
    } catch (NumberFormatException e) {
      throw new BadInputException("'" + text + "' in '" + input + "' is not an integer");
    }
  }
}
