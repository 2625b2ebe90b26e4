package org.rmiq.cli.master;

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
import org.rmiq.cli.DurationConverter;
import org.rmiq.cli.TokenSource;
import org.rmiq.cli.VersionProvider;
import org.rmiq.master.Master;
import org.rmiq.master.TaskOutcome;
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
          "Use the workers connected to this master (started on --port) instead of"
              + " local ones: one point, with however many are connected.")
  boolean remote;

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

  @Override
  public Integer call() throws Exception {
    Job parsed;
    try {
      parsed = Job.parse(job, System.in, new java.security.SecureRandom(), chunks);
      check(workers.stream().allMatch(n -> n >= 1 && n <= 64), "--workers: each count 1..64");
      check(repeat >= 1 && repeat <= 100, "--repeat " + repeat + " must be 1..100");
      check(threads >= 1 && threads <= 256, "--threads " + threads + " must be 1..256");
      check(
          remote || Files.isRegularFile(workerJar),
          "--worker-jar "
              + workerJar
              + " does not exist; build it with ./mvnw -DskipTests package");
    } catch (IllegalArgumentException e) {
      err.println("run-experiment: " + e.getMessage());
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
      for (int n : remote ? List.of(0) : workers) {
        for (int r = 1; r <= repeat; r++) {
          ExperimentChart.Run run = remote ? runRemote(parsed, r) : runLocal(parsed, n, r);
          if (run == null) {
            return 3;
          }
          out.printf("workers %d, run %d: %.3f s%n", run.workers(), r, run.seconds());
          runs.add(run);
        }
      }
    } catch (IOException e) {
      err.println(
          "run-experiment: "
              + (Master.isPortInUse(e)
                  ? "port " + port + " is already" + " in use; choose another with --port"
                  : e.getMessage()));
      return 4;
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

  private ExperimentChart.Run runLocal(Job parsed, int n, int repeatNo) throws Exception {
    String token = ClassToken.generate(); // this run's own: its workers are local
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
        started.add(worker.start());
      }
      awaitWorkers(master, n);
      return timeJob(master, parsed, n, repeatNo);
    } finally {
      for (Process p : started) {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private ExperimentChart.Run runRemote(Job parsed, int repeatNo) throws Exception {
    Token token = TokenSource.forMaster(env, null, false).token();
    try (Master master = Master.builder().port(port).token(token).build().start()) {
      err.println(
          "run-experiment: master on port "
              + master.port()
              + "; waiting for workers"
              + " (RMIQ_TOKEN=<token> scripts/run-worker.sh <this-host>:"
              + master.port()
              + ")");
      awaitWorkers(master, 1);
      TimeUnit.SECONDS.sleep(3); // give the rest of the class a moment to join
      return timeJob(master, parsed, master.progress().workersConnected(), repeatNo);
    }
  }

  private ExperimentChart.Run timeJob(Master master, Job parsed, int n, int repeatNo)
      throws InterruptedException {
    long start = System.nanoTime();
    master.submit(parsed.kind(), parsed.inputs());
    for (int i = 0; i < parsed.inputs().size(); i++) {
      TaskOutcome o = master.poll(timeout);
      if (o == null) {
        err.println("run-experiment: no result for " + timeout + " with " + n + " worker(s)");
        return null;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    master.finish();
    master.awaitWorkersGone(Duration.ofSeconds(5));
    return new ExperimentChart.Run(n, repeatNo, seconds);
  }

  private void awaitWorkers(Master master, int n) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(remote ? 30 : 1);
    while (master.progress().workersConnected() < n) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            n + " worker(s) did not join; see --worker-jar and the machine's" + " load");
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
