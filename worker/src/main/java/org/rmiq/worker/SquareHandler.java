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
    try {
      BigInteger n = new BigInteger(input.strip());
      return n.multiply(n).toString();
    } catch (NumberFormatException e) {
      throw new BadInputException("'" + input + "' is not an integer");
    }
  }
}
