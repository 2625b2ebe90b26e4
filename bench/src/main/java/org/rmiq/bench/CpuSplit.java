package org.rmiq.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU time of every thread of a set of processes, from Linux's per-thread {@code schedstat}
 * (nanoseconds on a CPU, exact, unlike the tick-sampled {@code stat}, which misses threads that
 * sleep between ticks, as a worker's task threads do). Empty where /proc is missing.
 */
final class CpuSplit {
  /** What a thread is for, from its name. */
  enum Role {
    JIT,
    GC,
    OTHER
  }

  private record ThreadCpu(Role role, long nanos) {}

  /** By "pid/tid". */
  private final Map<String, ThreadCpu> threads;

  private CpuSplit(Map<String, ThreadCpu> threads) {
    this.threads = threads;
  }

  /**
   * A HotSpot thread's role from its name as Linux shows it (15 characters at most): "C2
   * CompilerThre", "C1 CompilerThre"; "GC Thread#0", "G1 Conc#0", "G1 Refine#0", "G1 Main Marker".
   */
  static Role roleOf(String name) {
    if (name.contains("CompilerThre")) {
      return Role.JIT;
    }
    return name.startsWith("GC Thread") || name.startsWith("G1 ") ? Role.GC : Role.OTHER;
  }

  static CpuSplit of(List<Long> pids) {
    Map<String, ThreadCpu> threads = new HashMap<>();
    for (long pid : pids) {
      try (DirectoryStream<Path> tasks =
          Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
        for (Path task : tasks) {
          try {
            long nanos =
                Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ", 2)[0]);
            String name = Files.readString(task.resolve("comm")).strip();
            Role role = roleOf(name);
            threads.put(pid + "/" + task.getFileName(), new ThreadCpu(role, nanos));
          } catch (IOException | RuntimeException gone) {
            // the thread ended meanwhile
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux, or the process ended: counts nothing
      }
    }
    return new CpuSplit(threads);
  }

  /**
   * What each thread spent since {@code before} (a thread that ended in between is missing from
   * both sides: its last moments are not counted).
   */
  CpuSplit since(CpuSplit before) {
    Map<String, ThreadCpu> delta = new HashMap<>();
    threads.forEach(
        (id, now) -> {
          ThreadCpu then = before.threads.get(id);
          delta.put(id, new ThreadCpu(now.role(), now.nanos() - (then == null ? 0 : then.nanos())));
        });
    return new CpuSplit(delta);
  }

  /**
   * This reading, with the last reading of {@code earlier} for threads that have ended since: read
   * every few tens of milliseconds until processes exit, it keeps nearly all their CPU.
   */
  CpuSplit withEnded(CpuSplit earlier) {
    Map<String, ThreadCpu> all = new HashMap<>(earlier.threads);
    all.putAll(threads);
    return new CpuSplit(all);
  }

  /** Only the threads of process {@code pid}. */
  CpuSplit of(long pid) {
    return filtered(pid, true);
  }

  /** The threads of every process but {@code pid}. */
  CpuSplit except(long pid) {
    return filtered(pid, false);
  }

  private CpuSplit filtered(long pid, boolean theirs) {
    Map<String, ThreadCpu> kept = new HashMap<>();
    threads.forEach(
        (id, cpu) -> {
          if (id.startsWith(pid + "/") == theirs) {
            kept.put(id, cpu);
          }
        });
    return new CpuSplit(kept);
  }

  double seconds(Role role) {
    return threads.values().stream()
            .filter(t -> role == null || t.role() == role)
            .mapToLong(ThreadCpu::nanos)
            .sum()
        / 1e9;
  }

  double totalSeconds() {
    return seconds(null);
  }

  /** "4.1 s (JIT 1.2, GC 0.1)". */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%.1f s (JIT %.1f, GC %.1f)",
        totalSeconds(),
        seconds(Role.JIT),
        seconds(Role.GC));
  }
}
