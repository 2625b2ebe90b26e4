package org.rmiq.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.IntStream;
import org.rmiq.master.Master;
import org.rmiq.net.Token;

/** Queues N squares through the Java API in this JVM and reports the rate and heap used. */
public final class MemoryCheck {
  private MemoryCheck() {}

  public static void main(String[] args) {
    int count = Integer.parseInt(args[0]);
    Master master =
        Master.builder().port(0).token(Token.of(org.rmiq.cli.ClassToken.generate())).build();
    List<String> inputs = IntStream.rangeClosed(1, count).mapToObj(Integer::toString).toList();
    master.submit("square", inputs.subList(0, 10_000)); // warm up the code path
    long start = System.nanoTime();
    master.submit("square", inputs.subList(10_000, count));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf(
        "memory   %,d queued squares (Java API, -Xmx512m): %.0f MB heap used"
            + " (target < 512 MB); submitted at %,.0f tasks/s (target >= 500,000)%n",
        master.progress().pending(), heap / 1e6, (count - 10_000) / seconds);
  }
}
