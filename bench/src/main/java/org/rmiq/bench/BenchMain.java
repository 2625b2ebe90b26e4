package org.rmiq.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs rmiq's benchmarks and prints one line per scenario with its figure, its reference measured
 * in the same run where there is one, the ratio, and the target from the issue.
 *
 * <pre>java -Xmx512m -jar bench/target/rmiq-bench.jar [SCENARIO...]</pre>
 *
 * Scenarios: python, throughput, cli, latency, tls, handshake, idle, memory, scale, fairness,
 * downloads, jmh (default: all but python, which throughput and cli run first as their reference).
 */
public final class BenchMain {
  private BenchMain() {}

  /** Every scenario; all but python run by default (throughput and cli run it as reference). */
  static final List<String> KNOWN =
      List.of(
          "python",
          "throughput",
          "cli",
          "startup",
          "blackboard",
          "latency",
          "tls",
          "handshake",
          "idle",
          "memory",
          "scale",
          "fairness",
          "downloads",
          "jmh");

  public static void main(String[] args) throws Exception {
    // The download scenario's web server: without TCP_NODELAY the JDK's server sends headers
    // and body as separate small packets and each answer waits ~40 ms for a delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    List<String> wanted =
        args.length == 0
            ? KNOWN.stream().filter(name -> !name.equals("python")).toList()
            : Arrays.asList(args);
    Path logs = Files.createTempDirectory("rmiq-bench");
    System.out.printf(
        "rmiq benchmarks, %s, %d cores, Java %s, %s (logs in %s)%n",
        LocalDate.now(java.time.ZoneId.systemDefault()),
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        System.getProperty("os.name"),
        logs);
    Scenarios scenarios = new Scenarios(logs);
    List<String> report = new ArrayList<>();
    for (String name : wanted) {
      if (!KNOWN.contains(name)) {
        System.err.println(
            "bench: unknown scenario '"
                + name
                + "'; use "
                + String.join(", ", KNOWN)
                + " (scripts/bench.sh --help)");
        System.exit(2);
      }
    }
    for (String name : wanted) {
      String line;
      try {
        line = run(scenarios, name);
      } catch (IOException failed) {
        System.out.println();
        report.forEach(done -> done.lines().forEach(row -> System.out.println("  " + row)));
        System.err.println(
            "bench: " + name + ": " + failed.getMessage() + " (logs in " + logs + ")");
        System.exit(1);
        return;
      }
      System.out.println(line);
      report.add(line);
    }
    System.out.println();
    System.out.println("summary:");
    report.forEach(line -> line.lines().forEach(row -> System.out.println("  " + row)));
  }

  private static String run(Scenarios scenarios, String name) throws Exception {
    return switch (name) {
      case "python" -> scenarios.python();
      case "throughput" -> scenarios.throughput();
      case "cli" -> scenarios.scripts().cli();
      case "startup" -> scenarios.scripts().startup();
      case "blackboard" -> scenarios.scripts().blackboard();
      case "tls" -> scenarios.tls();
      case "handshake" -> scenarios.handshake();
      case "idle" -> scenarios.idle();
      case "latency" -> scenarios.latency();
      case "memory" -> scenarios.memory();
      case "scale" -> scenarios.scale();
      case "fairness" -> scenarios.fairness();
      case "downloads" -> scenarios.downloads();
      case "jmh" -> scenarios.jmh();
      default -> throw new AssertionError(name); // checked above
    };
  }

  static void check(boolean ok, String what) throws IOException {
    if (!ok) {
      throw new IOException("benchmark failed: " + what);
    }
  }

  /** As {@link #check(boolean, String)}, building the message only on failure. */
  static void check(boolean ok, java.util.function.Supplier<String> what) throws IOException {
    if (!ok) {
      throw new IOException("benchmark failed: " + what.get());
    }
  }
}
