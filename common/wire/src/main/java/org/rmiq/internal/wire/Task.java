package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import org.rmiq.api.TaskKinds;

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

  /**
   * The kinds every worker runs with its own code; shipped code may never provide them, so a
   * teacher's {@code square} job always runs the built-in handler.
   */
  public static final java.util.Set<String> BUILT_IN_KINDS = TaskKinds.BUILT_IN;

  public Task {
    if (id < 0) {
      throw new IllegalArgumentException("task id must be >= 0, was " + id);
    }
    checkKind(kind);
    checkInput(id, input);
    checkCode(id, code);
    if (timeoutMillis < 0) {
      throw new IllegalArgumentException("task " + id + " has a negative timeout");
    }
  }

  /** Throws unless {@code input} may be task {@code id}'s input. */
  public static void checkInput(long id, String input) {
    if (input == null) {
      throw new IllegalArgumentException("task " + id + " has no input");
    }
    if (input.length() > MAX_INPUT_CHARS) {
      throw new IllegalArgumentException(
          "task " + id + " input is " + input.length() + " chars; the limit is " + MAX_INPUT_CHARS);
    }
  }

  /** Throws unless {@code code} is null or a SHA-256, for task {@code id}. */
  public static void checkCode(long id, String code) {
    if (code != null && !CodeOffer.isSha256(code)) {
      throw new IllegalArgumentException("task " + id + " names code that is not a SHA-256");
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

  /** Throws unless {@code kind} is a valid kind name ({@link TaskKinds}). */
  public static String checkKind(String kind) {
    return TaskKinds.check(kind);
  }

  /** Whether {@code kind} is a valid kind name ({@link TaskKinds}). */
  public static boolean isValidKind(String kind) {
    return TaskKinds.isValid(kind);
  }
}
