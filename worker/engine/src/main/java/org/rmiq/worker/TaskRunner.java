package org.rmiq.worker;

import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.rmiq.api.BadInputException;
import org.rmiq.api.TaskAnswer;
import org.rmiq.api.TaskDeclinedException;
import org.rmiq.api.TaskFailedException;
import org.rmiq.api.TaskHandler;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;

/**
 * Runs one task with its kind's handler and turns whatever happens into a result. An attempt that
 * outlives the master's task timeout is interrupted and reported as a retryable failure.
 */
final class TaskRunner {
  private final Handlers handlers;
  private final ScheduledExecutorService watchdogs;

  TaskRunner(Handlers handlers, ScheduledExecutorService watchdogs) {
    this.handlers = handlers;
    this.watchdogs = watchdogs;
  }

  /**
   * An attempt's result and, when it succeeded with a file (a download), that file on this worker,
   * which is sent to a master that collects files.
   */
  record Attempt(TaskResult result, Path file) {}

  /** Like {@link #attempt(Task, long)} with the task's own timeout, for the result alone. */
  TaskResult run(Task task) throws InterruptedException {
    return attempt(task, task.timeoutMillis()).result();
  }

  /** Like {@link #attempt(Task, long)} with the given timeout, for the result alone. */
  TaskResult run(Task task, long timeoutMillis) throws InterruptedException {
    return attempt(task, timeoutMillis).result();
  }

  /**
   * Runs the task on this thread, interrupting it after {@code timeoutMillis} (0 = never).
   *
   * @throws InterruptedException when something other than the timeout interrupted it
   */
  Attempt attempt(Task task, long timeoutMillis) throws InterruptedException {
    if (timeoutMillis <= 0) {
      return attempt(task);
    }
    Watchdog watchdog = new Watchdog(Thread.currentThread());
    ScheduledFuture<?> alarm =
        watchdogs.schedule(watchdog::fire, timeoutMillis, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    Attempt result;
    try {
      result = attempt(task);
    } catch (InterruptedException e) {
      result = null;
      if (!watchdog.timedOut()) {
        throw e;
      }
    } finally {
      alarm.cancel(false);
    }
    if (watchdog.finish()) {
      return new Attempt(
          TaskResult.failed(
              task.id(),
              "the attempt exceeded the task timeout of "
                  + timeoutMillis
                  + " ms and was interrupted",
              true,
              millisSince(start)),
          null);
    }
    return result;
  }

  /**
   * Runs the task without a time limit. Never throws: a bad input is a final failure, a missing
   * handler or a {@link TaskDeclinedException} a refusal (the task goes to another worker), any
   * other exception a retryable failure.
   *
   * @throws InterruptedException when the worker interrupted the task (it is then handed back)
   */
  Attempt attempt(Task task) throws InterruptedException {
    long start = System.nanoTime();
    TaskHandler handler = handlers.find(task);
    if (handler == null) {
      // not this task's fault: the master hands it to a worker that runs the kind
      return new Attempt(
          TaskResult.declined(
              task.id(),
              task.code() == null
                  ? "this worker has no handler for kind '"
                      + task.kind()
                      + "' (it runs "
                      + String.join(", ", handlers.kinds())
                      + ")"
                  : "this worker has not loaded the code of kind '"
                      + task.kind()
                      + "' (SHA-256 "
                      + task.code()
                      + ")",
              0),
          null);
    }
    TaskAnswer answer;
    try {
      answer = handler.answer(task.input());
    } catch (BadInputException e) {
      return failed(task, e.getMessage(), false, start);
    } catch (TaskDeclinedException e) {
      return new Attempt(
          TaskResult.declined(
              task.id(), truncate(String.valueOf(e.getMessage())), millisSince(start)),
          null);
    } catch (TaskFailedException e) {
      return failed(task, e.getMessage(), true, start);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception | StackOverflowError e) {
      return failed(task, e.getClass().getSimpleName() + ": " + e.getMessage(), true, start);
    } catch (LinkageError e) {
      // shipped code that misses a class it needs fails the same way everywhere: a final
      // failure of the task, never a dead worker
      return failed(task, e.getClass().getSimpleName() + ": " + e.getMessage(), false, start);
    }
    try {
      if (answer == null) {
        return new Attempt(
            TaskResult.failed(
                task.id(),
                "handler for '" + task.kind() + "' returned nothing",
                false,
                millisSince(start)),
            null);
      }
      if (answer.value().length() > TaskResult.MAX_TEXT_CHARS) {
        return new Attempt(
            TaskResult.failed(
                task.id(),
                "the result is "
                    + answer.value().length()
                    + " characters; the limit is "
                    + TaskResult.MAX_TEXT_CHARS,
                false,
                millisSince(start)),
            null);
      }
      return new Attempt(
          TaskResult.ok(task.id(), answer.value(), answer.details(), millisSince(start)),
          answer.file());
    } catch (IllegalArgumentException e) {
      // details the handler named badly: another attempt would fail the same way
      return failed(
          task,
          "handler for '" + task.kind() + "' gave a bad result: " + e.getMessage(),
          false,
          start);
    }
  }

  private static Attempt failed(Task task, String error, boolean retryable, long start) {
    return new Attempt(
        TaskResult.failed(
            task.id(), truncate(String.valueOf(error)), retryable, millisSince(start)),
        null);
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
