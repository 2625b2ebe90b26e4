package org.rmiq.worker;

import java.util.Map;
import org.rmiq.common.BadInputException;
import org.rmiq.common.Task;
import org.rmiq.common.TaskHandler;
import org.rmiq.common.TaskResult;

/** Runs one task with its kind's handler and turns whatever happens into a result. */
final class TaskRunner {
  private final Map<String, TaskHandler> handlers;

  TaskRunner(Map<String, TaskHandler> handlers) {
    this.handlers = Map.copyOf(handlers);
  }

  /**
   * Runs the task. Never throws: a bad input or a missing handler is a final failure, any other
   * exception a retryable one.
   *
   * @throws InterruptedException when the worker interrupted the task (it is then handed back)
   */
  TaskResult run(Task task) throws InterruptedException {
    long start = System.nanoTime();
    TaskHandler handler = handlers.get(task.kind());
    if (handler == null) {
      return TaskResult.failed(task.id(), "this worker has no handler for kind '" + task.kind()
          + "' (it runs " + String.join(", ", handlers.keySet().stream().sorted().toList())
          + ")", false, 0);
    }
    try {
      String value = handler.execute(task.input());
      if (value == null) {
        return TaskResult.failed(task.id(), "handler for '" + task.kind() + "' returned nothing",
            false, millisSince(start));
      }
      return TaskResult.ok(task.id(), value, millisSince(start));
    } catch (BadInputException e) {
      return TaskResult.failed(task.id(), e.getMessage(), false, millisSince(start));
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception | StackOverflowError e) {
      return TaskResult.failed(task.id(), e.getClass().getSimpleName() + ": " + e.getMessage(),
          true, millisSince(start));
    }
  }

  Map<String, TaskHandler> handlers() {
    return handlers;
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
