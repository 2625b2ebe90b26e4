package org.rmiq.worker;

import java.math.BigInteger;
import org.rmiq.api.BadInputException;
import org.rmiq.api.TaskHandler;

/** {@code square}: n*n for an integer of any size, exactly. */
public final class SquareHandler implements TaskHandler {
  @Override
  public String kind() {
    return "square";
  }

  @Override
  public String execute(String input) throws BadInputException {
    String text = input.strip();
    if (text.length() <= 9) { // |n| < 10^9, so n*n fits a long: no BigInteger for the usual case
      try {
        long n = Long.parseLong(text);
        return Long.toString(n * n);
      } catch (NumberFormatException e) {
        // not a plain integer: the exact parse below names the problem
      }
    }
    try {
      BigInteger n = new BigInteger(text);
      return n.multiply(n).toString();
    } catch (NumberFormatException e) {
      throw new BadInputException("'" + input + "' is not an integer");
    }
  }
}
