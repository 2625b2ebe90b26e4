package org.rmiq.api;

/** A task's input can never succeed (e.g. {@code abc} for {@code square}): do not retry it. */
public final class BadInputException extends Exception {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }
}
