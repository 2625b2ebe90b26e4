package org.rmiq.api;

/**
 * Runs one kind of task on a worker. Implementations are found with {@link
 * java.util.ServiceLoader}: list the class in {@code META-INF/services/org.rmiq.api.TaskHandler} of
 * a jar on the worker's class path.
 *
 * <p>Handlers run on several threads at once and must be thread-safe. A handler should respond to
 * interruption (the worker interrupts tasks it abandons).
 */
public interface TaskHandler {

  /** The kind this handler runs, e.g. {@code square}; see {@link Task#checkKind}. */
  String kind();

  /**
   * Runs one task and returns its value as text.
   *
   * @throws BadInputException when the input can never succeed; the task is not retried
   * @throws Exception for any other failure; the task may be retried on another attempt
   */
  String execute(String input) throws Exception;

  /**
   * Runs one task and returns its value with details and, optionally, a file it produced. The
   * worker calls this method; override it (instead of only {@link #execute}) to report more than a
   * value. The default wraps {@link #execute}.
   *
   * @throws BadInputException when the input can never succeed; the task is not retried
   * @throws Exception for any other failure; the task may be retried on another attempt
   */
  default TaskAnswer answer(String input) throws Exception {
    String value = execute(input);
    return value == null ? null : TaskAnswer.of(value);
  }

  /**
   * How many tasks of this kind may run at once in a pool of their own, or 0 (the default) to share
   * the worker's {@code --threads}. Handlers that mostly wait on the network (downloads) use their
   * own pool, so they overlap many waits without taking CPU threads from other kinds.
   */
  default int ownThreads() {
    return 0;
  }
}
