package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskMemoryTest {
  private static final long ONE_GIB = 1L << 30;

  @Test
  void aTaskCostsItsRecordsAndTwoBytesACharacter() {
    assertEquals(
        2 * TaskMemory.BYTES_PER_TASK + 2 * (1 + 5), TaskMemory.estimate(List.of("7", "12345")));
  }

  @Test
  void fiveMillionSquaresOnTheScriptsOneGibHeapAreRefusedWithTheHeapToAskFor() {
    TaskMemory memory = new TaskMemory(ONE_GIB);
    long fiveMillion = 5_000_000 * (TaskMemory.BYTES_PER_TASK + 14);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> memory.reserve(fiveMillion, 5_000_000));
    assertEquals(
        "a job of 5,000,000 tasks needs about 1.3 GiB of the master's memory; its heap of 1.0 GiB"
            + " keeps 0.9 GiB for tasks. Split the job, or start the master with a bigger heap"
            + " (e.g. java -Xmx2g)",
        e.getMessage());
    memory.reserve(3_000_000 * (TaskMemory.BYTES_PER_TASK + 14), 3_000_000); // fits
    e = assertThrows(IllegalArgumentException.class, () -> memory.reserve(ONE_GIB / 4, 1_000_000));
    assertEquals(
        "a job of 1,000,000 tasks needs about 0.3 GiB of the master's memory; its heap of 1.0 GiB"
            + " keeps 0.9 GiB for tasks, 1 queued or running job(s) hold 0.8 GiB of it now. Split"
            + " the job or wait for those to end, or start the master with a bigger heap (e.g."
            + " java -Xmx2g)",
        e.getMessage());
  }
}
