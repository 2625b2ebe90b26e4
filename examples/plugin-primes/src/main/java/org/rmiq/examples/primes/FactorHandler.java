package org.rmiq.examples.primes;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.api.BadInputException;
import org.rmiq.api.TaskHandler;

/** {@code factor}: the prime factors of an integer from 2 to 10^12, e.g. "2 * 2 * 3". */
public final class FactorHandler implements TaskHandler {
  @Override
  public String kind() {
    return "factor";
  }

  @Override
  public String execute(String input) throws BadInputException, InterruptedException {
    BigInteger big = Numbers.parse(input);
    if (big.compareTo(BigInteger.TWO) < 0
        || big.compareTo(BigInteger.valueOf(IsPrimeHandler.TRIAL_LIMIT)) > 0) {
      throw new BadInputException(
          "factor takes integers from 2 to " + IsPrimeHandler.TRIAL_LIMIT + ", not " + input);
    }
    long n = big.longValue();
    List<String> factors = new ArrayList<>();
    for (long d = 2; d * d <= n; d++) {
      if (Thread.interrupted()) {
        throw new InterruptedException("factoring " + input + " was interrupted");
      }
      while (n % d == 0) {
        factors.add(Long.toString(d));
        n /= d;
      }
    }
    if (n > 1) {
      factors.add(Long.toString(n));
    }
    return String.join(" * ", factors);
  }
}
