package org.rmiq.worker;

import org.rmiq.api.BadInputException;
import org.rmiq.api.TaskHandler;

/** {@code sleep}: waits the given milliseconds, to show work spreading over workers. */
public final class SleepHandler implements TaskHandler {
  static final long MAX_MILLIS = 3_600_000;

  @Override
  public String kind() {
    return "sleep";
  }

  @Override
  public String execute(String input) throws BadInputException, InterruptedException {
    long millis;
    try {
      millis = Long.parseLong(input.strip());
    } catch (NumberFormatException e) {
      throw new BadInputException("'" + input + "' is not a number of milliseconds");
    }
    if (millis < 0 || millis > MAX_MILLIS) {
      throw new BadInputException("sleep " + millis + " ms is outside 0.." + MAX_MILLIS);
    }
    Thread.sleep(millis);
    return "slept " + millis + " ms";
  }
}
