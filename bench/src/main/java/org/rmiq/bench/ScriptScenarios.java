package org.rmiq.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import javax.tools.ToolProvider;

/**
 * The scenarios that run what a user runs: the scripts in {@code scripts/}, with their defaults
 * (heap, class-data archives), their output printed to files. Every figure is a ratio to a
 * reference measured in the same invocation: a Hello-world JVM for start-up, the Python manager for
 * the command line.
 */
final class ScriptScenarios {
  private static final String TOKEN = org.rmiq.cli.ClassToken.generate();
  private static final int ROUNDS = Integer.getInteger("rmiq.bench.rounds", 5);

  private final Path logs;
  private final DoubleSupplier pythonRate;

  ScriptScenarios(Path logs, DoubleSupplier pythonRate) {
    this.logs = logs;
    this.pythonRate = pythonRate;
  }

  // ------------------------------------------------------------------ start-up

  /**
   * Start-up as a class meets it, median of {@link #ROUNDS} interleaved rounds: a Hello-world JVM;
   * run-master.sh until it listens (with its status page, as a teacher runs it; on a free port);
   * run-worker.sh until it joined a running (warm) master; and the join page's {@code java -jar
   * rmiq-worker.jar} (no script; it runs itself again with the archive its first start made, in a
   * cache folder of the benchmark's) until it joined.
   */
  String startup() throws Exception {
    prepareArchives();
    Path hello = helloClass();
    List<Double> hellos = new ArrayList<>();
    List<Double> masters = new ArrayList<>();
    List<Double> workers = new ArrayList<>();
    List<Double> plainWorkers = new ArrayList<>();
    int port = freePort();
    try (Jvms procs = new Jvms(logs)) {
      Process session =
          procs.start(
              "startup-session",
              TOKEN,
              script(
                  "run-master.sh",
                  "--session",
                  "--port",
                  Integer.toString(port),
                  "--status-port",
                  "0"));
      awaitLine(logs.resolve("startup-session.err"), "listening on port", session);
      timeUntil(script("run-worker.sh", "127.0.0.1:" + port), "joined master"); // warms the master
      List<String> plainJar =
          List.of(
              Jvms.java(),
              "-jar",
              Path.of("worker/cli/target/rmiq-worker.jar").toString(),
              "127.0.0.1:" + port);
      trainPlainJar(plainJar);
      for (int round = 0; round < ROUNDS; round++) {
        hellos.add(timeUntil(List.of(Jvms.java(), "-cp", hello.toString(), "Hello"), "hello"));
        masters.add(
            timeUntil(
                script("run-master.sh", "--session", "--port", "0", "--status-port", "0"),
                "listening on port"));
        workers.add(timeUntil(script("run-worker.sh", "127.0.0.1:" + port), "joined master"));
        plainWorkers.add(timeUntil(plainJar, "joined master"));
      }
    }
    double h = median(hellos);
    return String.format(
        "startup  median of %d (Hello-world JVM %.3f s): run-master.sh listening %.3f s = %.1fx"
            + " (target <= 0.6 s, 6x); run-worker.sh joined %.3f s = %.1fx (target <= 0.8 s, 8x);"
            + " java -jar rmiq-worker.jar joined %.3f s = %.1fx (target <= 0.8 s, 8x)%n"
            + "         all runs: hello %s; master %s; worker %s; java -jar %s",
        ROUNDS,
        h,
        median(masters),
        median(masters) / h,
        median(workers),
        median(workers) / h,
        median(plainWorkers),
        median(plainWorkers) / h,
        list(hellos),
        list(masters),
        list(workers),
        list(plainWorkers));
  }

  /** Compiles {@code Hello.java} into the logs folder. */
  private Path helloClass() throws IOException {
    Path dir = Files.createDirectories(logs.resolve("hello"));
    Path source = dir.resolve("Hello.java");
    Files.writeString(
        source,
        "public class Hello { public static void main(String[] a) { System.out.println(\"hello\"); } }\n");
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, source.toString());
    BenchMain.check(status == 0, "javac Hello.java failed");
    return dir;
  }

  /**
   * Starts {@code command} and returns the seconds until a line of its output contains {@code
   * text}; ends it (and its children) by PID.
   */
  private double timeUntil(List<String> command, String text) throws Exception {
    long start = System.nanoTime();
    Process p = startTimed(command);
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.contains(text)) {
          return (System.nanoTime() - start) / 1e9;
        }
      }
      throw new IOException("benchmark failed: " + command + " ended without '" + text + "'");
    } finally {
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process startTimed(List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("RMIQ_TOKEN", TOKEN);
    builder.environment().put("XDG_CONFIG_HOME", logs.resolve("config").toString());
    // a plain java -jar keeps its class-data archive there (JarRelaunch), a student's ~/.cache
    builder.environment().put("XDG_CACHE_HOME", logs.resolve("cache").toString());
    return builder.start();
  }

  /**
   * A student's first {@code java -jar rmiq-worker.jar}: it joins, is stopped (SIGTERM, passed on
   * to its second JVM), and keeps the class-data archive the next starts use.
   */
  private void trainPlainJar(List<String> command) throws Exception {
    Process p = startTimed(command);
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.contains("joined master")) {
          p.toHandle().destroy(); // SIGTERM; Process.destroy would also close this stream
        }
      }
      BenchMain.check(
          p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0, "the plain jar's first start");
    } finally {
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  // ------------------------------------------------------------------ the command line

  /**
   * {@code run-master.sh --out FILE square 1..N} with its results printed to a file and two {@code
   * run-worker.sh --exit-when-done} started at its banner, as a teacher runs it: the end-to-end
   * time of a million squares (master start to exit) against the Python manager's time for the same
   * million, the rate from a 100,000 and a 1,100,000 job (fastest of three each), and what printing
   * the results costs over {@code -q}.
   */
  String cli() throws Exception {
    double python = pythonRate.getAsDouble();
    prepareArchives();
    double small = Double.MAX_VALUE;
    CliRun large = null;
    double million = Double.MAX_VALUE;
    double quiet = Double.MAX_VALUE;
    double peakMb = 0;
    for (int run = 0; run < 3; run++) {
      small = Math.min(small, cliRun(100_000, false).seconds());
      CliRun big = cliRun(1_100_000, false);
      if (large == null || big.seconds() < large.seconds()) {
        large = big;
      }
      CliRun printed = cliRun(1_000_000, false);
      million = Math.min(million, printed.seconds());
      peakMb = Math.max(peakMb, printed.peakMb());
      quiet = Math.min(quiet, cliRun(1_000_000, true).seconds());
    }
    double rate = 1_000_000 / (large.seconds() - small);
    double pythonMillion = 1_000_000 / python;
    return String.format(
        "cli      scripts/run-master.sh --out x.jsonl square 1..N > results, 2 run-worker.sh at its"
            + " banner (fastest of 3): a million squares end to end %.2f s = %.1fx faster than the"
            + " Python manager's %.1f s (target >= 40x); rate from N=100,000 (%.2f s) and"
            + " N=1,100,000 (%.2f s) %,.0f tasks/s = %.1fx Python (target >= 100x); printing the"
            + " results costs %+.0f%% over -q (%.2f s; keep <= 15%%); master peak RSS %.0f MB%n"
            + "         CPU of the fastest 1,100,000 run: master %s, both workers %s;"
            + " %.1f us a task across the three JVMs",
        million,
        pythonMillion / million,
        pythonMillion,
        small,
        large.seconds(),
        rate,
        rate / python,
        100 * (million / quiet - 1),
        quiet,
        peakMb,
        large.master(),
        large.workers(),
        (large.master().totalSeconds() + large.workers().totalSeconds()) * 1e6 / 1_100_000);
  }

  /** One run of {@code square 1..n}, as {@link #cli} describes. */
  private CliRun cliRun(int n, boolean quiet) throws Exception {
    int port = freePort();
    Path out = logs.resolve("cli-" + n + ".jsonl");
    String name = "cli-master-" + n + (quiet ? "-q" : "");
    try (Jvms procs = new Jvms(logs)) {
      List<String> args =
          new ArrayList<>(List.of("--port", Integer.toString(port), "--status-port", "0"));
      if (quiet) {
        args.add("-q");
      }
      args.addAll(List.of("--out", out.toString(), "square", "1.." + n));
      long start = System.nanoTime();
      Process master = procs.start(name, TOKEN, script("run-master.sh", args));
      awaitLine(logs.resolve(name + ".err"), "listening on port", master);
      Process w1 =
          procs.start(
              name + "-w1",
              TOKEN,
              script("run-worker.sh", "127.0.0.1:" + port, "--exit-when-done"));
      Process w2 =
          procs.start(
              name + "-w2",
              TOKEN,
              script("run-worker.sh", "127.0.0.1:" + port, "--exit-when-done"));
      long peakKb = 0;
      List<Long> pids = List.of(master.pid(), w1.pid(), w2.pid());
      CpuSplit cpu = CpuSplit.of(pids);
      while (!master.waitFor(50, TimeUnit.MILLISECONDS)) {
        peakKb = Math.max(peakKb, rssKb(master));
        cpu = CpuSplit.of(pids).withEnded(cpu);
        BenchMain.check(
            System.nanoTime() - start < TimeUnit.MINUTES.toNanos(10), "the cli run took 10 min");
      }
      double seconds = (System.nanoTime() - start) / 1e9; // the master's start to its exit
      long workersBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((w1.isAlive() || w2.isAlive()) && System.nanoTime() < workersBy) {
        cpu = CpuSplit.of(pids).withEnded(cpu); // --exit-when-done: they leave after the master
        (w1.isAlive() ? w1 : w2).waitFor(50, TimeUnit.MILLISECONDS);
      }
      BenchMain.check(master.exitValue() == 0, "the master exited " + master.exitValue());
      long rows;
      try (var lines = Files.lines(out)) {
        rows = lines.count();
      }
      BenchMain.check(rows == n, "--out has " + rows + " rows, not " + n);
      Files.delete(out);
      Files.deleteIfExists(logs.resolve(name + ".out")); // the printed results
      return new CliRun(seconds, peakKb / 1024.0, cpu.of(master.pid()), cpu.except(master.pid()));
    }
  }

  /**
   * One cli run: its wall time (s) from the master script's start to its exit, the master's peak
   * RSS (MB), and the CPU of the master and of its two workers.
   */
  private record CliRun(double seconds, double peakMb, CpuSplit master, CpuSplit workers) {}

  // ------------------------------------------------------------------ the blackboard

  /**
   * A million-task job with the status page open: how long {@code /api/status} and the job's own
   * {@code /api/jobs/1} (its timeline) take while it runs, polled every second as the pages do.
   */
  String blackboard() throws Exception {
    prepareArchives();
    int port = freePort();
    int page = freePort();
    List<Double> status = new ArrayList<>();
    List<Double> job = new ArrayList<>();
    long[] spans = new long[2];
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    try (Jvms procs = new Jvms(logs)) {
      Process master =
          procs.start(
              "blackboard-master",
              TOKEN,
              script(
                  "run-master.sh",
                  "--port",
                  Integer.toString(port),
                  "--status-port",
                  Integer.toString(page),
                  "-q",
                  "square",
                  "1..1000000"));
      awaitLine(logs.resolve("blackboard-master.err"), "listening on port", master);
      procs.start(
          "blackboard-w1", TOKEN, script("run-worker.sh", "127.0.0.1:" + port, "--exit-when-done"));
      procs.start(
          "blackboard-w2", TOKEN, script("run-worker.sh", "127.0.0.1:" + port, "--exit-when-done"));
      while (master.isAlive()) {
        status.add(get(http, page, "/api/status"));
        String body = getBody(http, page, "/api/jobs/1");
        job.add(lastSeconds);
        if (body != null) {
          var timeline = json.readTree(body).get("timeline");
          if (timeline != null && !timeline.isNull()) {
            spans[0] = timeline.get("spans").size();
            spans[1] = timeline.get("seen").asLong();
          }
        }
        master.waitFor(1, TimeUnit.SECONDS);
      }
    }
    // the first poll meets a cold page (Jackson, the HTTP server): reported apart
    List<Double> warmStatus = status.subList(1, status.size());
    List<Double> warmJob = job.subList(1, job.size());
    return String.format(
        "blackboard a million squares with the page polled every second (%d polls): /api/status"
            + " first %.0f ms, then p50 %.0f ms, max %.0f ms; /api/jobs/1 with its timeline first"
            + " %.0f ms, then p50 %.0f ms, max %.0f ms (target < 200 ms); the timeline kept %,d of"
            + " %,d spans (bound: 25,000 a job)",
        status.size(),
        1000 * status.get(0),
        1000 * percentile(warmStatus, 50),
        1000 * Collections.max(warmStatus),
        1000 * job.get(0),
        1000 * percentile(warmJob, 50),
        1000 * Collections.max(warmJob),
        spans[0],
        spans[1]);
  }

  private double lastSeconds;

  private double get(HttpClient http, int port, String path) throws Exception {
    getBody(http, port, path);
    return lastSeconds;
  }

  private String getBody(HttpClient http, int port, String path) throws Exception {
    long start = System.nanoTime();
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      lastSeconds = (System.nanoTime() - start) / 1e9;
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      lastSeconds = (System.nanoTime() - start) / 1e9; // the job ended as we asked
      return null;
    }
  }

  // ------------------------------------------------------------------ shared

  /** Makes the scripts' class-data archives now, as the first lesson's start would. */
  private void prepareArchives() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(script("run-worker.sh", "--version"))
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve("archives.out").toFile());
    builder.environment().put("RMIQ_CDS", "wait");
    Process p = builder.start();
    BenchMain.check(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "the archives");
  }

  private static List<String> script(String name, String... args) {
    return script(name, List.of(args));
  }

  private static List<String> script(String name, List<String> args) {
    List<String> command = new ArrayList<>(List.of("bash", Path.of("scripts", name).toString()));
    command.addAll(args);
    return command;
  }

  private void awaitLine(Path file, String text, Process p) throws Exception {
    long start = System.nanoTime();
    while (!Files.exists(file) || !Files.readString(file).contains(text)) {
      BenchMain.check(p.isAlive(), () -> "exited before '" + text + "'; see " + file);
      BenchMain.check(
          System.nanoTime() - start < TimeUnit.MINUTES.toNanos(1), "no '" + text + "' in " + file);
      p.waitFor(5, TimeUnit.MILLISECONDS);
    }
  }

  private static long rssKb(Process p) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the process ended meanwhile
    }
    // the script is bash: the JVM is its child (exec keeps the PID, but not everywhere)
    return 0;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static double median(List<Double> values) {
    return percentile(values, 50);
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static String list(List<Double> values) {
    StringBuilder out = new StringBuilder();
    for (double v : values) {
      out.append(out.length() == 0 ? "" : " ").append(String.format("%.2f", v));
    }
    return out.toString();
  }
}
