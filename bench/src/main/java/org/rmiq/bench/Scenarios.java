package org.rmiq.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.rmiq.master.Master;
import org.rmiq.master.TaskOutcome;
import org.rmiq.net.Token;

/** The benchmark scenarios of the performance issue, each returning its report line. */
final class Scenarios {
  private static final String TOKEN = org.rmiq.cli.ClassToken.generate();
  static final int TASKS = Integer.getInteger("rmiq.bench.tasks", 200_000);
  static final int PYTHON_TASKS = Integer.getInteger("rmiq.bench.pythonTasks", 40_000);

  private final Path logs;

  /** The Python manager's rate, once measured, for the throughput ratio. */
  private double pythonRate = Double.NaN;

  Scenarios(Path logs) {
    this.logs = logs;
  }

  private static Master master() throws IOException {
    return Master.builder().port(0).token(Token.of(TOKEN)).build().start();
  }

  private static void awaitWorkers(Master master, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (master.progress().workersConnected() < count) {
      BenchMain.check(
          System.nanoTime() < deadline,
          count
              + " workers did not join in 3 min;"
              + " "
              + master.progress().workersConnected()
              + " did");
      TimeUnit.MILLISECONDS.sleep(50); // the benchmark's own start-up, not a measured wait
    }
  }

  private static List<TaskOutcome> collect(Master master, int count) throws Exception {
    List<TaskOutcome> outcomes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      TaskOutcome o = master.poll(Duration.ofSeconds(60));
      BenchMain.check(o != null, "result " + i + " of " + count + " did not arrive in 60 s");
      outcomes.add(o);
    }
    return outcomes;
  }

  /** The classic Python manager pair, squaring with two workers. */
  String python() throws Exception {
    int port = freePort();
    try (Jvms procs = new Jvms(logs)) {
      Path dir = Path.of("bench", "python");
      Process master =
          procs.start(
              "python-master",
              null,
              List.of(
                  "python3",
                  dir.resolve("task_master.py").toString(),
                  "--port",
                  Integer.toString(port),
                  "--tasks",
                  Integer.toString(PYTHON_TASKS)));
      awaitLine(logs.resolve("python-master.out"), "listening", master);
      for (int i = 1; i <= 2; i++) {
        procs.start(
            "python-worker-" + i,
            null,
            List.of(
                "python3",
                dir.resolve("task_worker.py").toString(),
                "--port",
                Integer.toString(port)));
      }
      BenchMain.check(master.waitFor(10, TimeUnit.MINUTES), "the Python master did not finish");
      Matcher m =
          Pattern.compile("rate=(\\d+)")
              .matcher(Files.readString(logs.resolve("python-master.out")));
      BenchMain.check(m.find(), "the Python master printed no rate; see " + logs);
      pythonRate = Double.parseDouble(m.group(1));
      return String.format(
          "python   classic multiprocessing.managers pair, 2 workers, %,d"
              + " squares: %,.0f tasks/s (reference)",
          PYTHON_TASKS, pythonRate);
    }
  }

  /** Squares through a master and two worker JVMs, against the Python pair. */
  String throughput() throws Exception {
    if (Double.isNaN(pythonRate)) {
      System.out.println(python());
    }
    try (Master master = master();
        Jvms procs = new Jvms(logs)) {
      procs.worker("t1", TOKEN, master.port());
      procs.worker("t2", TOKEN, master.port());
      awaitWorkers(master, 2);
      List<String> inputs = IntStream.rangeClosed(1, TASKS).mapToObj(Integer::toString).toList();
      master.submit("square", inputs.subList(0, TASKS / 4)); // warm up the JIT in all 3 JVMs
      collect(master, TASKS / 4);
      long start = System.nanoTime();
      master.submit("square", inputs);
      List<TaskOutcome> outcomes = collect(master, TASKS);
      double seconds = (System.nanoTime() - start) / 1e9;
      for (TaskOutcome o : outcomes) {
        BigInteger n = new BigInteger(o.input());
        BenchMain.check(o.ok() && n.multiply(n).toString().equals(o.value()), "wrong: " + o);
      }
      double rate = TASKS / seconds;
      return String.format(
          "throughput rmiq master + 2 worker JVMs, %,d squares (after %,d to"
              + " warm up): %,.0f tasks/s in %.2f s = %.1fx the Python manager (target >= 20x,"
              + " stretch 100x)",
          TASKS, TASKS / 4, rate, seconds, rate / pythonRate);
    }
  }

  /** One task at a time on an idle system: submit to collected. */
  String latency() throws Exception {
    try (Master master = master();
        Jvms procs = new Jvms(logs)) {
      procs.worker("l1", TOKEN, master.port(), "--threads", "1");
      awaitWorkers(master, 1);
      for (int i = 0; i < 1000; i++) { // warm up both JVMs
        master.submit("square", Integer.toString(i));
        collect(master, 1);
      }
      long[] nanos = new long[3000];
      for (int i = 0; i < nanos.length; i++) {
        long start = System.nanoTime();
        master.submit("square", Integer.toString(i));
        collect(master, 1);
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      return String.format(
          "latency  one square, submit to collected, %,d runs: p50 %.2f ms,"
              + " p99 %.2f ms, max %.2f ms (targets p50 <= 2 ms, p99 <= 10 ms)",
          nanos.length,
          nanos[nanos.length / 2] / 1e6,
          nanos[nanos.length * 99 / 100] / 1e6,
          nanos[nanos.length - 1] / 1e6);
    }
  }

  /** A million queued squares in a JVM limited to 512 MB: heap used and submit rate. */
  String memory() throws Exception {
    try (Jvms procs = new Jvms(logs)) {
      Process p =
          procs.start(
              "memory",
              null,
              List.of(
                  Jvms.java(),
                  "-Xmx512m",
                  "-cp",
                  Jvms.classPath(),
                  MemoryCheck.class.getName(),
                  "1000000"));
      BenchMain.check(
          p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0,
          "the 512 MB memory check failed; see " + logs.resolve("memory.err"));
      return Files.readString(logs.resolve("memory.out")).strip();
    }
  }

  /** 500 worker sessions in 5 JVMs running 10 ms sleeps. */
  String scale() throws Exception {
    int jvms = Integer.getInteger("rmiq.bench.scaleJvms", 5);
    int perJvm = Integer.getInteger("rmiq.bench.scaleSessions", 100);
    int sessions = jvms * perJvm;
    int tasks = Integer.getInteger("rmiq.bench.scaleTasks", 100_000);
    try (Master master = master();
        Jvms procs = new Jvms(logs)) {
      for (int i = 0; i < jvms; i++) {
        procs.manyWorkers("many" + i, TOKEN, master.port(), perJvm);
      }
      awaitWorkers(master, sessions);
      long expiredBefore = master.progress().expiredLeases();
      long start = System.nanoTime();
      master.submit("sleep", java.util.Collections.nCopies(tasks, "10"));
      collect(master, tasks);
      double seconds = (System.nanoTime() - start) / 1e9;
      double ideal = tasks * 0.010 / sessions;
      long expired = master.progress().expiredLeases() - expiredBefore;
      return String.format(
          "scale    %d sessions in %d JVMs, %,d sleeps of 10 ms: %.2f s, ideal"
              + " %.2f s = %.0f%% of ideal (target >= 80%%), %d lease(s) expired (target 0)",
          sessions, jvms, tasks, seconds, ideal, 100 * ideal / seconds, expired);
    }
  }

  /** Two equal workers sharing sleep tasks. */
  String fairness() throws Exception {
    int tasks = 200;
    try (Master master = master();
        Jvms procs = new Jvms(logs)) {
      procs.worker("f1", TOKEN, master.port(), "--threads", "2");
      procs.worker("f2", TOKEN, master.port(), "--threads", "2");
      awaitWorkers(master, 2);
      master.submit("sleep", java.util.Collections.nCopies(tasks, "50"));
      Map<String, Integer> shares = new HashMap<>();
      for (TaskOutcome o : collect(master, tasks)) {
        shares.merge(o.worker(), 1, Integer::sum);
      }
      return String.format(
          "fairness 2 workers x 2 threads, %d sleeps of 50 ms: f1 %.1f%%, f2"
              + " %.1f%% (target each 40-60%%)",
          tasks,
          100.0 * shares.getOrDefault("f1", 0) / tasks,
          100.0 * shares.getOrDefault("f2", 0) / tasks);
    }
  }

  /** JMH: the queue's take/complete cycle without any network. */
  String jmh() throws Exception {
    var options =
        new OptionsBuilder()
            .include("org.rmiq.master.DispatcherBenchmark")
            .forks(1)
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(1))
            .build();
    StringBuilder line = new StringBuilder("jmh      queue, no network:");
    for (RunResult r : new Runner(options).run()) {
      var result = r.getPrimaryResult();
      String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      line.append(
          String.format(
              " %s %,.0f ± %,.0f tasks/s;",
              name,
              result.getScore() * DispatcherBenchmarkSize.BATCH,
              result.getScoreError() * DispatcherBenchmarkSize.BATCH));
    }
    return line.toString();
  }

  /**
   * 200 URLs that each answer after 100 ms, downloaded by 2 worker JVMs x 8: wall time against the
   * ideal (ceil(200 / 16) x 100 ms) and against the classic Python 8-thread ThreadPoolExecutor
   * downloader fetching the same URLs from the same server in this run.
   */
  String downloads() throws Exception {
    int urls = 200;
    try (SlowWebServer web = SlowWebServer.start(Duration.ofMillis(100), 10_000);
        Master master = master();
        Jvms procs = new Jvms(logs)) {
      List<String> warmUp = IntStream.range(0, 32).mapToObj(i -> web.url("warm-" + i)).toList();
      List<String> list =
          IntStream.range(0, urls).mapToObj(i -> web.url("image-" + i + ".jpg")).toList();
      Path listFile = logs.resolve("download-urls.txt");
      Files.write(listFile, list);
      Process python =
          procs.start(
              "python-downloader",
              null,
              List.of(
                  "python3",
                  Path.of("bench", "python", "download_pool.py").toString(),
                  "--urls",
                  listFile.toString(),
                  "--threads",
                  "8",
                  "--folder",
                  logs.resolve("python-downloads").toString()));
      BenchMain.check(python.waitFor(10, TimeUnit.MINUTES), "the Python downloader hung");
      Matcher m =
          Pattern.compile("downloaded=(\\d+) .*seconds=([0-9.]+)")
              .matcher(Files.readString(logs.resolve("python-downloader.out")));
      BenchMain.check(
          m.find() && Integer.parseInt(m.group(1)) == urls,
          "the Python downloader did not fetch every URL; see " + logs);
      double pythonSeconds = Double.parseDouble(m.group(2));

      for (int w = 1; w <= 2; w++) {
        procs.worker(
            "d" + w,
            TOKEN,
            master.port(),
            "--threads",
            "1",
            "--downloads",
            "8",
            "--download-dir",
            logs.resolve("downloads-" + w).toString());
      }
      awaitWorkers(master, 2);
      master.submit("download", warmUp); // start both JVMs' HTTP clients and JIT first
      collect(master, warmUp.size());
      long start = System.nanoTime();
      master.submit("download", list);
      List<TaskOutcome> outcomes = collect(master, urls);
      double seconds = (System.nanoTime() - start) / 1e9;
      for (TaskOutcome o : outcomes) {
        BenchMain.check(o.ok() && o.details().get("bytes").equals("10000"), "wrong: " + o);
      }
      double ideal = Math.ceil(urls / 16.0) * 0.1;
      return String.format(
          "downloads %d URLs x 100 ms, 2 worker JVMs x 8 downloads: %.2f s;"
              + " ideal %.1f s (%.0f%% of ideal); Python 8-thread ThreadPoolExecutor %.2f s"
              + " (rmiq %.1fx faster)",
          urls, seconds, ideal, 100 * ideal / seconds, pythonSeconds, pythonSeconds / seconds);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitLine(Path file, String text, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
      BenchMain.check(
          p.isAlive() && System.nanoTime() < deadline, file + " never said '" + text + "'");
      TimeUnit.MILLISECONDS.sleep(50); // the benchmark's own start-up, not a measured wait
    }
  }
}
