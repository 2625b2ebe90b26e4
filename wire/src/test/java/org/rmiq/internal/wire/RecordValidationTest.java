package org.rmiq.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordValidationTest {
  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void taskKindsAreShortLowerCaseNames() {
    new Task(1, "square", "7");
    assertEquals(
        "task kind 'Square' is not valid: use 1 to 32 lower-case letters, digits, '-'"
            + " or '_', starting with a letter",
        error(() -> new Task(1, "Square", "7")));
    assertEquals("task id must be >= 0, was -1", error(() -> new Task(-1, "square", "7")));
    assertEquals("task 1 has no input", error(() -> new Task(1, "square", null)));
    String huge = "9".repeat(Task.MAX_INPUT_CHARS + 1);
    assertEquals(
        "task 1 input is 1048577 chars; the limit is 1048576",
        error(() -> new Task(1, "square", huge)));
  }

  @Test
  void aResultHasExactlyOneOfValueAndError() {
    assertEquals(
        "result for task 3 must have exactly one of value and error",
        error(() -> new TaskResult(3, "9", "boom", false, 1, null)));
    assertEquals(
        "result for task 3 must have exactly one of value and error",
        error(() -> new TaskResult(3, null, null, false, 1, null)));
    assertEquals(
        "successful result for task 3 is retryable",
        error(() -> new TaskResult(3, "9", null, true, 1, null)));
  }

  @Test
  void batchesAreBoundedAndImmutable() {
    List<Task> tasks = new java.util.ArrayList<>(List.of(new Task(1, "square", "1")));
    TaskBatch batch = new TaskBatch(tasks, MasterPhase.RUNNING);
    tasks.clear();
    assertEquals(1, batch.tasks().size());
    List<TaskResult> many =
        Collections.nCopies(TakeRequest.MAX_BATCH + 1, TaskResult.ok(1, "1", 0));
    assertEquals("batch of 10001 results is too large", error(() -> new ResultBatch("s", many)));
    assertEquals(
        "take max must be 1..10000, was 0", error(() -> new TakeRequest("s", List.of(), 0, 10)));
    assertEquals(
        "worker name is empty", error(() -> new JoinRequest(1, " ", "host", 1, List.of("square"))));
    assertEquals(
        "task kind 'Bad' is not valid: use 1 to 32 lower-case letters, digits, '-' or"
            + " '_', starting with a letter",
        error(() -> new JoinRequest(1, "w", "host", 1, List.of("Bad"))));
  }
}
