package org.rmiq.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
    assertEquals(
        "task 1 names code that is not a SHA-256",
        error(() -> new Task(1, "collatz", "7", "not-a-hash", 0)));
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
    assertEquals(
        "result for task 3: detail name 'no spaces' is not 1 to 32 letters and digits starting"
            + " with a letter",
        error(() -> TaskResult.ok(3, "9", Map.of("no spaces", "x"), 1)));
  }

  @Test
  void exchangesAreBoundedAndImmutable() {
    List<Slot> slots = new ArrayList<>(List.of(new Slot("s", List.of(), 1)));
    ExchangeRequest request = new ExchangeRequest("link", slots, 1000, 0);
    slots.clear();
    assertEquals(1, request.slots().size());
    List<TaskResult> many =
        Collections.nCopies(ExchangeRequest.MAX_TASKS + 1, TaskResult.ok(1, "1", 0));
    assertEquals(
        "an exchange with 10001 results",
        error(() -> new ExchangeRequest("link", List.of(new Slot("s", many, 0)), 0, 0)));
    assertEquals(
        "exchange wait must be 0..5000 ms, was 9000",
        error(() -> new ExchangeRequest("link", List.of(), 9000, 0)));
  }

  @Test
  void namesAndHostsRefuseControlCharactersThatWouldReachATerminal() {
    assertEquals(
        "worker name is empty", error(() -> new SessionRequest("l", " ", 1, List.of("square"))));
    assertEquals(
        "worker name contains a control character (code 27)",
        error(() -> new SessionRequest("l", "evil\u001b]0;title\u0007", 1, List.of("square"))));
    assertEquals(
        "worker host contains a control character (code 10)",
        error(() -> new LinkRequest(3, "host\nFAKE LOG LINE", false, "", "")));
    assertEquals(
        "worker name contains a control character (code 8238)",
        error(() -> new SessionRequest("l", "abc\u202edcba", 1, List.of("square"))));
    assertEquals(
        "task kind 'Bad' is not valid: use 1 to 32 lower-case letters, digits, '-' or"
            + " '_', starting with a letter",
        error(() -> new SessionRequest("l", "w", 1, List.of("Bad"))));
  }
}
