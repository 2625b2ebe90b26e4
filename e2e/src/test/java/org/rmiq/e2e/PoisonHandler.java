package org.rmiq.e2e;

import org.rmiq.api.TaskHandler;

/**
 * A task kind for fault tests, loaded by workers from the test classes like any plugin: it returns
 * its input, except for "poison", where it always throws (a retryable failure).
 */
public final class PoisonHandler implements TaskHandler {
  @Override
  public String kind() {
    return "poison-test";
  }

  @Override
  public String execute(String input) {
    if (input.equals("poison")) {
      throw new IllegalStateException("this input always fails");
    }
    return input;
  }
}
