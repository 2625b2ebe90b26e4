package org.rmiq.internal.wire;

import java.io.Serializable;

/**
 * One unit of work: run the handler registered for {@code kind} on {@code input}.
 *
 * <p>Immutable and validated in its canonical constructor, which also runs when a task is
 * deserialized, so a malformed task is refused at the wire as well as in the API.
 *
 * @param id the master-assigned id, unique within a job; results are matched to tasks by it
 * @param kind the handler name, e.g. {@code square} or {@code sleep}
 * @param input the handler's input, as text (a number, milliseconds, a URL…)
 */
public record Task(long id, String kind, String input) implements Serializable {

  /** Largest input a task may carry, in characters. */
  public static final int MAX_INPUT_CHARS = 1 << 20;

  public Task {
    if (id < 0) {
      throw new IllegalArgumentException("task id must be >= 0, was " + id);
    }
    checkKind(kind);
    if (input == null) {
      throw new IllegalArgumentException("task " + id + " has no input");
    }
    if (input.length() > MAX_INPUT_CHARS) {
      throw new IllegalArgumentException(
          "task " + id + " input is " + input.length() + " chars; the limit is " + MAX_INPUT_CHARS);
    }
  }

  /** Throws unless {@code kind} is a lower-case name of 1 to 32 letters, digits, '-' or '_'. */
  public static String checkKind(String kind) {
    if (!isValidKind(kind)) {
      throw new IllegalArgumentException(
          "task kind '"
              + kind
              + "' is not valid: use 1 to 32 lower-case letters, digits, '-' or '_',"
              + " starting with a letter");
    }
    return kind;
  }

  /** The rule of {@link #checkKind}, by hand: it runs for every task that crosses the wire. */
  private static boolean isValidKind(String kind) {
    if (kind == null || kind.isEmpty() || kind.length() > 32) {
      return false;
    }
    for (int i = 0; i < kind.length(); i++) {
      char c = kind.charAt(i);
      boolean letter = c >= 'a' && c <= 'z';
      boolean other = (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!(letter || (i > 0 && other))) {
        return false;
      }
    }
    return true;
  }
}
