package org.rmiq.cli.master.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.rmiq.cli.ClassToken;
import org.rmiq.cli.ConsoleLogging;
import org.rmiq.cli.DurationConverter;
import org.rmiq.cli.TokenSource;
import org.rmiq.cli.VersionProvider;
import org.rmiq.cli.master.job.JobContext;
import org.rmiq.cli.master.job.JobKind;
import org.rmiq.cli.master.job.JobKinds;
import org.rmiq.cli.master.job.Sources;
import org.rmiq.cli.master.launch.Banner;
import org.rmiq.master.Master;
import org.rmiq.net.Token;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run-experiment.sh JOB --workers 1,2,4}: the speed-up experiment. Runs the same job with 1,
 * 2, … local workers (or the connected remote ones), repeats each point, and writes a CSV and a
 * chart of wall time and speed-up against the number of workers, with the ideal line.
 */
@Command(
    name = "run-experiment.sh",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs JOB (any master job, e.g. sum 1..2000000000 or sleep 100x64) with each"
          + " number of local workers in --workers, --repeat times, and writes results.csv,"
          + " speedup.png and speedup.svg to --out-dir.",
      ""
    },
    footer = {"", "Exit codes: 0 done; 2 bad usage; 3 a run timed out; 4 could not start."})
public final class ExperimentCommand implements Callable<Integer> {
  @Parameters(paramLabel = "JOB", arity = "1..*", description = "The job and its argument.")
  List<String> job;

  @Option(
      names = "--workers",
      paramLabel = "N,N,…",
      defaultValue = "1,2,4",
      split = ",",
      description = "Worker counts to try. Default: ${DEFAULT-VALUE}.")
  List<Integer> workers;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      defaultValue = "3",
      description = "Runs per point; the chart shows their mean. Default: ${DEFAULT-VALUE}.")
  int repeat;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "1",
      description = "Threads per local worker. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(
      names = "--chunks",
      paramLabel = "N",
      defaultValue = "8",
      description = "Tasks for sum and wordcount. Default: ${DEFAULT-VALUE}.")
  int chunks;

  @Option(
      names = "--remote",
      description =
          "Use the workers that join this experiment's master (on --port) from other machines"
              + " instead of local ones: one point, with however many joined (at least"
              + " --min-workers). The master stays up across the repeats, so they join once.")
  boolean remote;

  @Option(
      names = "--min-workers",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "With --remote, start when N workers have joined (and the count held still for 2 s)."
              + " Default: ${DEFAULT-VALUE}.")
  int minWorkers;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "N",
      defaultValue = "5000",
      description = "The master's port with --remote. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--worker-jar",
      paramLabel = "FILE",
      defaultValue = "worker-cli/target/rmiq-worker.jar",
      description = "The worker jar for local workers. Default: ${DEFAULT-VALUE}.")
  Path workerJar;

  @Option(
      names = "--out-dir",
      paramLabel = "DIR",
      description =
          "Where to write results.csv, speedup.png, speedup.svg."
              + " Default: experiment-<date>-<time>.")
  Path outDir;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "2m",
      converter = DurationConverter.class,
      description = "Give up on a run with no result for this long. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public ExperimentCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** A run shorter than this measures JVM start-up and warm-up more than the job. */
  static final double TOO_SHORT_SECONDS = 0.5;

  @Override
  public Integer call() throws Exception {
    ConsoleLogging.configure(true, false); // the result lines, not every join and leave
    // Its own workers are stopped and started between runs, and the transport warns of every
    // connection a stopping worker drops mid-handshake: noise here, where only results are
    // promised.
    ConsoleLogging.quiet("org.rmiq.internal.transport");
    JobKind parsed;
    try {
      parsed =
          JobKinds.parse(
              job,
              new JobContext(
                  Sources.local(System.in),
                  new java.security.SecureRandom(),
                  chunks,
                  false,
                  null,
                  w -> err.println("run-experiment: " + w),
                  null));
      check(workers.stream().allMatch(n -> n >= 1 && n <= 64), "--workers: each count 1..64");
      check(repeat >= 1 && repeat <= 100, "--repeat " + repeat + " must be 1..100");
      check(threads >= 1 && threads <= 256, "--threads " + threads + " must be 1..256");
      check(minWorkers >= 1 && minWorkers <= 10_000, "--min-workers must be 1..10000");
      check(
          remote || Files.isRegularFile(workerJar),
          "--worker-jar "
              + workerJar
              + " does not exist; build it with ./mvnw -DskipTests package");
    } catch (IllegalArgumentException e) {
      err.println("run-experiment: " + e.getMessage());
      err.println("run-experiment: see run-experiment.sh --help for every option");
      return 2;
    }
    if (outDir == null) {
      outDir =
          Path.of(
              "experiment-"
                  + LocalDateTime.now(java.time.ZoneId.systemDefault())
                      .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
    Files.createDirectories(outDir);
    List<ExperimentChart.Run> runs = new ArrayList<>();
    try {
      if (remote) {
        if (!runRemote(parsed, runs)) {
          return 3;
        }
      } else {
        for (int n : workers) {
          if (!runLocal(parsed, n, runs)) {
            return 3;
          }
        }
      }
    } catch (IOException e) {
      err.println(
          "run-experiment: "
              + (Master.isPortInUse(e)
                  ? "port " + port + " is already in use; choose another with --port"
                  : e.getMessage()));
      return 4;
    }
    if (runs.stream().anyMatch(r -> r.seconds() < TOO_SHORT_SECONDS)) {
      err.printf(
          "run-experiment: warning: some runs took under %.1f s, where starting and warming up"
              + " the JVMs weighs more than the job: the speed-up says little. Give a bigger"
              + " job, e.g. sum 1..20000000000 or sleep 100x400.%n",
          TOO_SHORT_SECONDS);
    }
    ExperimentChart.write(runs, String.join(" ", job), outDir);
    out.println(
        "wrote "
            + outDir.resolve("results.csv")
            + ", "
            + outDir.resolve("speedup.png")
            + " and "
            + outDir.resolve("speedup.svg"));
    return 0;
  }

  /** One point: {@code n} local worker JVMs, joined once, running the job --repeat times. */
  private boolean runLocal(JobKind parsed, int n, List<ExperimentChart.Run> runs) throws Exception {
    String token = ClassToken.generate(); // this point's own: its workers are local
    List<Process> started = new ArrayList<>();
    try (Master master = Master.builder().port(0).token(Token.of(token)).build().start()) {
      for (int i = 1; i <= n; i++) {
        ProcessBuilder worker =
            new ProcessBuilder(
                    javaBin(),
                    "-jar",
                    workerJar.toString(),
                    "127.0.0.1:" + master.port(),
                    "--threads",
                    Integer.toString(threads),
                    "--name",
                    "worker-" + i,
                    "--exit-when-done",
                    "-q")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        worker.environment().put(Token.ENV, token);
        // one JVM per worker, ended with it: a plain java -jar would otherwise run itself again
        // (JarRelaunch) and make a class-data archive as it exits, in the teacher's ~/.cache
        worker.environment().put("RMIQ_CDS", "off");
        started.add(worker.start());
      }
      awaitWorkers(master, n, Duration.ofMinutes(1));
      boolean ok = repeatJob(master, parsed, n, runs);
      master.finish();
      master.awaitWorkersTold(Duration.ofSeconds(5));
      return ok;
    } finally {
      for (Process p : started) {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /** One point with the workers that joined from elsewhere; the master stays up throughout. */
  private boolean runRemote(JobKind parsed, List<ExperimentChart.Run> runs) throws Exception {
    TokenSource token = TokenSource.forMaster(env, null, false);
    try (Master master = Master.builder().port(port).token(token.token()).build().start()) {
      Banner banner = new Banner(err, null, master.port(), token, null, null);
      banner.print("experiment: waiting for " + minWorkers + " worker(s)", -1);
      awaitWorkers(master, minWorkers, Duration.ofMinutes(30));
      int n = settledCount(master);
      err.println("run-experiment: " + n + " worker(s) joined; running " + String.join(" ", job));
      boolean ok = repeatJob(master, parsed, n, runs);
      master.finish();
      master.awaitWorkersTold(Duration.ofSeconds(5));
      return ok;
    }
  }

  /** Runs the job --repeat times on the same workers, timing each from first task to result. */
  private boolean repeatJob(Master master, JobKind parsed, int n, List<ExperimentChart.Run> runs)
      throws InterruptedException {
    for (int r = 1; r <= repeat; r++) {
      org.rmiq.master.Job running = master.startJob(parsed.toSpec(3, Duration.ZERO));
      long lastResult = System.nanoTime();
      while (!running.awaitDone(Duration.ofMillis(250))) {
        if (running.waiting() > 0) {
          running.drainTo(new ArrayList<>(), Integer.MAX_VALUE);
          lastResult = System.nanoTime();
        }
        if (System.nanoTime() - lastResult > timeout.toNanos()) {
          running.cancel("timed out");
          err.println("run-experiment: no result for " + timeout + " with " + n + " worker(s)");
          return false;
        }
      }
      double seconds = running.progress().work().toNanos() / 1e9;
      out.printf("workers %d, run %d: %.3f s%n", n, r, seconds);
      runs.add(new ExperimentChart.Run(n, r, seconds));
    }
    return true;
  }

  /** The number of workers once it held still for 2 s, so a class still joining is counted. */
  private static int settledCount(Master master) throws InterruptedException {
    int count = master.progress().workersConnected();
    long since = System.nanoTime();
    while (System.nanoTime() - since < TimeUnit.SECONDS.toNanos(2)) {
      TimeUnit.MILLISECONDS.sleep(100); // polls the count; no event to wait on
      int now = master.progress().workersConnected();
      if (now != count) {
        count = now;
        since = System.nanoTime();
      }
    }
    return count;
  }

  private void awaitWorkers(Master master, int n, Duration limit)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (master.progress().workersConnected() < n) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            n + " worker(s) did not join within " + limit + "; see --worker-jar and the load");
      }
      TimeUnit.MILLISECONDS.sleep(50); // waits for JVMs to start; no event to wait on
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
