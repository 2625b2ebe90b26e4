package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NumberRangeTest {

  @Test
  void itIsTheListOfItsNumbersTexts() {
    NumberRange range = new NumberRange(-2, 2);
    assertEquals(List.of("-2", "-1", "0", "1", "2"), range);
    assertEquals(5, range.size());
    assertEquals("0", range.get(2));
    assertThrows(IndexOutOfBoundsException.class, () -> range.get(5));
    assertThrows(IndexOutOfBoundsException.class, () -> range.get(-1));
    assertEquals(2, range.longestChars());
    assertEquals(7, new NumberRange(1, 1_000_000).longestChars());
    assertThrows(IllegalArgumentException.class, () -> new NumberRange(2, 1));
    assertThrows(IllegalArgumentException.class, () -> new NumberRange(0, Integer.MAX_VALUE));
  }

  @Test
  void aJobKeepsItAsItIsAndItsMemoryIsCountedAsIfEveryNumberWereTheLongest() {
    NumberRange range = new NumberRange(1, 1000);
    JobSpec spec = new JobSpec("square 1..1000", "square", range, 3, Duration.ZERO, null);
    assertSame(range, spec.inputs(), "not copied into a million strings");
    assertEquals(1000 * TaskMemory.BYTES_PER_TASK + 2L * 1000 * 4, TaskMemory.estimate(range));
  }
}
