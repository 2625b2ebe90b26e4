package org.rmiq.internal.wire;

import java.io.InvalidObjectException;

/**
 * One unit of work: run the handler registered for {@code kind} on {@code input}.
 *
 * <p>Immutable and validated in its canonical constructor, which also runs when a task arrives from
 * the wire, so a malformed task is refused there as well as in the API.
 *
 * @param id the master-assigned id, unique on the master; results are matched to tasks by it
 * @param kind the handler name, e.g. {@code square} or {@code sleep}
 * @param input the handler's input, as text (a number, milliseconds, a URL…)
 * @param code the SHA-256 of the shipped code that defines {@code kind}, or null for a kind the
 *     worker has (built in, or from its own plugins)
 * @param timeoutMillis how long one attempt may run before the worker interrupts it; 0 for no limit
 *     (the master enforces it too, with a little slack)
 */
public record Task(long id, String kind, String input, String code, long timeoutMillis) {

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
    if (code != null && !CodeOffer.isSha256(code)) {
      throw new IllegalArgumentException("task " + id + " names code that is not a SHA-256");
    }
    if (timeoutMillis < 0) {
      throw new IllegalArgumentException("task " + id + " has a negative timeout");
    }
  }

  /** A task of a kind the worker has, without a time limit. */
  public Task(long id, String kind, String input) {
    this(id, kind, input, null, 0);
  }

  void write(Packer out) {
    out.i64(id).repeatable(0, kind).text(input).repeatable(1, code).i64(timeoutMillis);
  }

  static Task read(Unpacker in) throws InvalidObjectException {
    return new Task(
        in.i64(), in.repeatable(0, 32), in.text(MAX_INPUT_CHARS), in.repeatable(1, 64), in.i64());
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
  public static boolean isValidKind(String kind) {
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
