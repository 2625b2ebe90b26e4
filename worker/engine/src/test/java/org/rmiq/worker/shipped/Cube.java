package org.rmiq.worker.shipped;

import java.math.BigInteger;
import org.rmiq.api.TaskHandler;

/** A handler the tests ship to workers as a jar: it sees the task API and the JDK only. */
public final class Cube implements TaskHandler {
  @Override
  public String kind() {
    return "cube";
  }

  @Override
  public String execute(String input) {
    return new BigInteger(input.trim()).pow(3).toString();
  }
}
