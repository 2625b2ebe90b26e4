package org.rmiq.cli.worker;

import java.lang.reflect.InvocationTargetException;

/**
 * The worker jar's entry point, compiled for Java 8 (as the join page's students may have any
 * Java): on a Java older than 17 it says so in a sentence and exits 4, where the JVM would print
 * {@code UnsupportedClassVersionError} and a stack trace; on 17 or newer it runs {@link
 * WorkerMain}. It may use nothing newer than Java 8.
 */
public final class JavaCheck {
  static final int NEEDED = 17;

  private JavaCheck() {}

  public static void main(String[] args) throws Throwable {
    String version = System.getProperty("java.specification.version", "");
    if (major(version) < NEEDED) {
      System.err.println(
          "rmiq needs Java " + NEEDED + " or newer, and this is Java " + version + " ("
              + System.getProperty("java.home") + "). Install a JDK " + NEEDED
              + " or newer (e.g. Temurin from adoptium.net), then run the same line again.");
      System.exit(4);
    }
    try {
      Class.forName("org.rmiq.cli.worker.WorkerMain")
          .getMethod("main", String[].class)
          .invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** The feature version of a {@code java.specification.version}: "1.8" is 8, "17" is 17. */
  static int major(String version) {
    try {
      String feature = version.startsWith("1.") ? version.substring(2) : version;
      int dot = feature.indexOf('.');
      return Integer.parseInt(dot < 0 ? feature : feature.substring(0, dot));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
