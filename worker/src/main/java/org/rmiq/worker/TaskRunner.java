package org.rmiq.worker;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.rmiq.common.BadInputException;
import org.rmiq.common.Task;
import org.rmiq.common.TaskHandler;
import org.rmiq.common.TaskResult;

/**
 * Runs one task with its kind's handler and turns whatever happens into a result. An attempt
 * that outlives the master's task timeout is interrupted and reported as a retryable failure.
 */
final class TaskRunner {
  private final Map<String, TaskHandler> handlers;
  private final ScheduledExecutorService watchdogs;

  TaskRunner(Map<String, TaskHandler> handlers, ScheduledExecutorService watchdogs) {
    this.handlers = Map.copyOf(handlers);
    this.watchdogs = watchdogs;
  }

  /**
   * Runs the task on this thread, interrupting it after {@code timeoutMillis} (0 = never).
   *
   * @throws InterruptedException when something other than the timeout interrupted it
   */
  TaskResult run(Task task, long timeoutMillis) throws InterruptedException {
    if (timeoutMillis <= 0) {
      return run(task);
    }
    Watchdog watchdog = new Watchdog(Thread.currentThread());
    ScheduledFuture<?> alarm =
        watchdogs.schedule(watchdog::fire, timeoutMillis, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    TaskResult result;
    try {
      result = run(task);
    } catch (InterruptedException e) {
      result = null;
      if (!watchdog.timedOut()) {
        throw e;
      }
    } finally {
      alarm.cancel(false);
    }
    if (watchdog.finish()) {
      return TaskResult.failed(task.id(), "the attempt exceeded the task timeout of "
          + timeoutMillis + " ms and was interrupted", true, millisSince(start));
    }
    return result;
  }

  /**
   * Runs the task without a time limit. Never throws: a bad input or a missing handler is a final failure, any other
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
      if (value.length() > TaskResult.MAX_TEXT_CHARS) {
        return TaskResult.failed(task.id(), "the result is " + value.length() + " characters;"
            + " the limit is " + TaskResult.MAX_TEXT_CHARS, false, millisSince(start));
      }
      return TaskResult.ok(task.id(), value, millisSince(start));
    } catch (BadInputException e) {
      return TaskResult.failed(task.id(), e.getMessage(), false, millisSince(start));
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception | StackOverflowError e) {
      return TaskResult.failed(task.id(), truncate(e.getClass().getSimpleName() + ": "
          + e.getMessage()), true, millisSince(start));
    }
  }

  Map<String, TaskHandler> handlers() {
    return handlers;
  }

  /** Interrupts a task thread at its deadline, unless the task finished first. */
  private static final class Watchdog {
    private final Thread thread;
    private boolean done;
    private boolean fired;

    Watchdog(Thread thread) {
      this.thread = thread;
    }

    synchronized void fire() {
      if (!done) {
        fired = true;
        thread.interrupt(); // under the lock, so finish() can clear it safely
      }
    }

    synchronized boolean timedOut() {
      return fired;
    }

    /** Marks the task finished; true if it timed out (the interrupt is then cleared). */
    synchronized boolean finish() {
      done = true;
      if (fired) {
        Thread.interrupted();
      }
      return fired;
    }
  }

  /** Keeps a huge exception message within what a result may carry. */
  private static String truncate(String error) {
    int limit = 10_000;
    return error.length() <= limit ? error : error.substring(0, limit) + "… (truncated)";
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
