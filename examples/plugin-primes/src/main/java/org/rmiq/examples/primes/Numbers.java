package org.rmiq.examples.primes;

import java.math.BigInteger;
import org.rmiq.api.BadInputException;

/** Input parsing shared by the two kinds. */
final class Numbers {
  private Numbers() {}

  static BigInteger parse(String input) throws BadInputException {
    try {
      return new BigInteger(input.strip());
    } catch (NumberFormatException e) {
      throw new BadInputException("'" + input + "' is not an integer");
    }
  }
}
