package org.rmiq.master;

import java.util.List;
import java.util.Locale;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/**
 * The share of the heap a master lets its jobs' tasks take. A job too big for it is refused with a
 * sentence before any task is made, instead of running the JVM out of memory halfway through
 * building them; and a token holder who submits job after job to a session master cannot exhaust
 * it. A task's cost is an estimate: {@value #BYTES_PER_TASK} bytes plus two per input character.
 * The 260 were measured when every waiting task had its records (1,000,000 queued squares took 284
 * MB in the memory benchmark); since its entry is made when it is handed out, a queued square takes
 * about 65 bytes, but its result may wait in its job's queue until the owner collects it (about 200
 * bytes by its fields' sizes), so the estimate stays. Not thread-safe: guarded by the dispatcher's
 * lock.
 */
final class TaskMemory {
  static final long BYTES_PER_TASK = 260;

  private final long heap;
  private final long budget;
  private long held;
  private int jobs;

  /**
   * @param heap the heap's size ({@code Runtime.maxMemory()})
   */
  TaskMemory(long heap) {
    this.heap = heap;
    this.budget = heap / 10 * 9; // the rest: outcomes on their way, output buffers, connections
  }

  /** The estimated bytes of a job with these inputs. */
  static long estimate(List<String> inputs) {
    long bytes = inputs.size() * BYTES_PER_TASK;
    if (inputs instanceof NumberRange range) { // its texts are made when leased: as if the longest
      return bytes + 2L * inputs.size() * range.longestChars();
    }
    for (String input : inputs) {
      bytes += 2L * input.length();
    }
    return bytes;
  }

  /**
   * Takes {@code bytes} for a job of {@code tasks} tasks.
   *
   * @throws IllegalArgumentException when they do not fit, saying what does and what to do
   */
  void reserve(long bytes, int tasks) {
    if (held + bytes > budget) {
      String others =
          jobs == 0
              ? ""
              : String.format(
                  Locale.ROOT, ", %d queued or running job(s) hold %s of it now", jobs, size(held));
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "a job of %,d tasks needs about %s of the master's memory; its heap of %s keeps"
                  + " %s for tasks%s. Split the job%s, or start the master with "
                  + SettingNames.of(Setting.HEAP),
              tasks,
              size(bytes),
              size(heap),
              size(budget),
              others,
              jobs == 0 ? "" : " or wait for those to end",
              Math.max(2, (held + bytes) * 10 / 9 / (1L << 30) + 1)));
    }
    add(bytes);
  }

  /** Takes {@code bytes} whether they fit or not: a journal's tasks must come back. */
  void add(long bytes) {
    held += bytes;
    jobs++;
  }

  /** Gives back what a job took once it ended. */
  void release(long bytes) {
    held -= bytes;
    jobs--;
  }

  long held() {
    return held;
  }

  /** In GiB (in MiB under 100 MiB, where GiB would read 0.0), as -Xmx counts. */
  private static String size(long bytes) {
    if (bytes < 100L << 20) {
      return String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }
}
