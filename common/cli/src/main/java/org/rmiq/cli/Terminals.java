package org.rmiq.cli;

import java.io.Console;

/** Whether the command talks to a person at a terminal, for progress bars and prompts. */
public final class Terminals {
  private Terminals() {}

  /**
   * True when standard input and output are an interactive terminal. Up to JDK 21 {@code
   * System.console()} is null otherwise; from JDK 22 it always exists and {@code
   * Console.isTerminal()} tells, so that method is used where it exists.
   */
  @SuppressWarnings("SystemConsoleNull") // handled: isTerminal() is asked where it exists
  public static boolean isInteractive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 17..21: a console exists only for a terminal
    }
  }
}
