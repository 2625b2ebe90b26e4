package org.rmiq.api;

import java.util.Set;

/**
 * What a task kind's name may be, and the kinds every worker runs itself. A kind is 1 to 32
 * lower-case letters, digits, {@code -} or {@code _}, starting with a letter, e.g. {@code collatz}.
 */
public final class TaskKinds {
  /**
   * The kinds every worker runs with its own code; shipped code may never provide them, so a
   * teacher's {@code square} job always runs the built-in handler.
   */
  public static final Set<String> BUILT_IN =
      Set.of("square", "sleep", "rangesum", "wordcount", "download");

  private TaskKinds() {}

  /**
   * Returns {@code kind} when it is a valid name.
   *
   * @throws IllegalArgumentException naming the rule otherwise
   */
  public static String check(String kind) {
    if (!isValid(kind)) {
      throw new IllegalArgumentException(
          "task kind '"
              + kind
              + "' is not valid: use 1 to 32 lower-case letters, digits, '-' or '_',"
              + " starting with a letter");
    }
    return kind;
  }

  /** Whether {@code kind} is a valid name; by hand, as it runs for every task on the wire. */
  public static boolean isValid(String kind) {
    if (kind == null || kind.isEmpty() || kind.length() > 32) {
      return false;
    }
    char first = kind.charAt(0);
    if (first < 'a' || first > 'z') {
      return false;
    }
    for (int i = 1; i < kind.length(); i++) {
      char c = kind.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
