package org.rmiq.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Sets how much the commands log, from their {@code -q} and {@code -v} flags. */
public final class ConsoleLogging {
  private ConsoleLogging() {}

  /** Shows only errors from the loggers under {@code name}. */
  public static void quiet(String name) {
    ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.ERROR);
  }

  public static void configure(boolean quiet, boolean verbose) {
    Level level = quiet ? Level.WARN : verbose ? Level.DEBUG : Level.INFO;
    ((Logger) LoggerFactory.getLogger("org.rmiq")).setLevel(level);
  }
}
