package org.rmiq.examples.primes;

import java.math.BigInteger;
import org.rmiq.api.BadInputException;
import org.rmiq.api.TaskHandler;

/** {@code isprime}: "true" or "false" for any integer, exact (trial division up to 10^12). */
public final class IsPrimeHandler implements TaskHandler {
  static final long TRIAL_LIMIT = 1_000_000_000_000L;

  @Override
  public String kind() {
    return "isprime";
  }

  @Override
  public String execute(String input) throws BadInputException {
    BigInteger n = Numbers.parse(input);
    if (n.compareTo(BigInteger.valueOf(TRIAL_LIMIT)) <= 0) {
      return Boolean.toString(isPrime(n.longValue()));
    }
    // Above 10^12: Miller-Rabin with 100 rounds (a wrong answer has probability < 2^-200).
    return Boolean.toString(n.isProbablePrime(100));
  }

  static boolean isPrime(long n) {
    if (n < 2) {
      return false;
    }
    for (long d = 2; d * d <= n; d++) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }
}
