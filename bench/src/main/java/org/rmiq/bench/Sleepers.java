package org.rmiq.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The scale scenario's reference: plain threads doing nothing but {@code Thread.sleep(10)}, so a
 * run can say what a 10 ms sleep costs this host's kernel and JVM at that moment, apart from rmiq.
 * Prints the sleeps and the process's CPU nanoseconds of a window after its start-up.
 */
public final class Sleepers {
  private Sleepers() {}

  /**
   * Runs {@code jvms} JVMs of {@code threads} sleepers at once, the shape of the scale scenario's
   * workers, and returns their CPU per sleep in microseconds over a two-second window.
   */
  static double cpuMicrosPerSleep(Path logDir, int jvms, int threads)
      throws IOException, InterruptedException {
    long sleeps = 0;
    long cpu = 0;
    try (Jvms procs = new Jvms(logDir)) {
      List<Process> started = new ArrayList<>();
      for (int i = 0; i < jvms; i++) {
        started.add(procs.sleepers("sleepers" + i, threads, 1_500, 2_000));
      }
      for (int i = 0; i < jvms; i++) {
        BenchMain.check(
            started.get(i).waitFor(60, TimeUnit.SECONDS) && started.get(i).exitValue() == 0,
            "the sleep reference JVM did not end well; see "
                + logDir.resolve("sleepers" + i + ".err"));
        String line = Files.readString(logDir.resolve("sleepers" + i + ".out")).strip();
        int space = line.indexOf(' ');
        sleeps += Long.parseLong(line.substring(0, space));
        cpu += Long.parseLong(line.substring(space + 1));
      }
    }
    return sleeps == 0 ? Double.NaN : cpu / 1e3 / sleeps;
  }

  public static void main(String[] args) throws InterruptedException {
    int threads = Integer.parseInt(args[0]);
    long warmUpMillis = Long.parseLong(args[1]);
    long windowMillis = Long.parseLong(args[2]);
    LongAdder sleeps = new LongAdder();
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmUpMillis + windowMillis + 500);
    Thread[] all = new Thread[threads];
    for (int i = 0; i < threads; i++) {
      all[i] =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    Thread.sleep(10);
                    sleeps.increment();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt(); // ends the loop
                }
              });
      all[i].setDaemon(true);
      all[i].start();
    }
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Thread.sleep(warmUpMillis);
    long sleepsBefore = sleeps.sum();
    long cpuBefore = os.getProcessCpuTime();
    Thread.sleep(windowMillis);
    long cpu = os.getProcessCpuTime() - cpuBefore;
    long counted = sleeps.sum() - sleepsBefore;
    for (Thread t : all) {
      t.join();
    }
    System.out.println(counted + " " + cpu);
  }
}
