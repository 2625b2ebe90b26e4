package org.rmiq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rmiq.api.TaskDeclinedException;
import org.rmiq.api.TaskHandler;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;

class TaskRunnerTest {
  private final ScheduledExecutorService watchdogs = Executors.newSingleThreadScheduledExecutor();
  private final TaskRunner runner =
      new TaskRunner(
          new Handlers(Map.of("square", new SquareHandler(), "sleep", new SleepHandler())),
          watchdogs);

  @AfterEach
  void stop() {
    watchdogs.shutdownNow();
  }

  @Test
  void squaresAreExactForAnySize() throws Exception {
    assertEquals("49", runner.run(new Task(1, "square", "-7")).value());
    assertEquals(
        "15241578753238836750495351562536198787501905199875019052100",
        runner.run(new Task(2, "square", "123456789012345678901234567890")).value());
    // either side of the edge where the square stops fitting a long (9 and 10 characters)
    assertEquals("999999998000000001", runner.run(new Task(3, "square", "999999999")).value());
    assertEquals("998001", runner.run(new Task(4, "square", " +0999 ")).value());
    assertEquals("9999999999999800000000000001", squareOf("-99999999999999"));
    assertEquals("9223372037000250000", squareOf("3037000500"));
  }

  private String squareOf(String n) throws Exception {
    return runner.run(new Task(9, "square", n)).value();
  }

  @Test
  void badInputFailsForGoodAndAnUnknownKindSaysWhatRuns() throws Exception {
    TaskResult bad = runner.run(new Task(1, "square", "abc"));
    assertEquals("'abc' is not an integer", bad.error());
    assertFalse(bad.retryable());
    TaskResult unknown = runner.run(new Task(2, "cube", "3"));
    assertEquals(
        "this worker has no handler for kind 'cube' (it runs sleep, square)", unknown.error());
    assertTrue(unknown.declined(), "another worker may run it: not a failure of the task");
  }

  @Test
  void anAttemptPastTheTimeoutIsInterruptedAndReportedAsARetryableFailure() throws Exception {
    long start = System.nanoTime();
    TaskResult result = runner.run(new Task(1, "sleep", "60000"), 200);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(
        "the attempt exceeded the task timeout of 200 ms and was interrupted", result.error());
    assertTrue(result.retryable());
    assertTrue(millis < 5000, "took " + millis + " ms");
    assertFalse(Thread.currentThread().isInterrupted(), "the interrupt does not leak");
  }

  @Test
  void anAttemptWithinTheTimeoutIsUntouched() throws Exception {
    assertEquals("slept 10 ms", runner.run(new Task(1, "sleep", "10"), 5000).value());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void aHandlerThatDeclinesMakesARefusalNotAFailure() throws Exception {
    TaskHandler picky =
        new TaskHandler() {
          @Override
          public String kind() {
            return "picky";
          }

          @Override
          public String execute(String input) throws Exception {
            throw new TaskDeclinedException("not here: start the worker with --allow-it");
          }
        };
    TaskResult result =
        new TaskRunner(new Handlers(Map.of("picky", picky)), watchdogs)
            .run(new Task(5, "picky", "x"));
    assertTrue(result.declined());
    assertFalse(result.isOk());
    assertEquals("not here: start the worker with --allow-it", result.error());
  }
}
