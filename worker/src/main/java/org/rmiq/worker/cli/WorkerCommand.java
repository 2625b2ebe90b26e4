package org.rmiq.worker.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.rmiq.common.HostPort;
import org.rmiq.common.Token;
import org.rmiq.common.cli.ConsoleLogging;
import org.rmiq.common.cli.VersionProvider;
import org.rmiq.worker.Worker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run-worker.sh HOST:PORT [OPTIONS]}: join a master and run its tasks. */
@Command(name = "run-worker.sh", mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class, sortOptions = false, usageHelpAutoWidth = true,
    description = {"Joins the rmiq master at HOST:PORT, runs its tasks and reports the results."
        + " Keeps running (and re-joins) when the master stops, unless --exit-when-done.", ""},
    footer = {"",
        "Token: RMIQ_TOKEN, else --token-file (the master prints one if it made it).",
        "",
        "Exit codes: 0 stopped normally; 2 bad usage (address, token); 3 the master",
        "refused the token; 4 the master could not be reached or refused us."})
public final class WorkerCommand implements Callable<Integer> {
  static final int USAGE = 2;

  @Parameters(index = "0", paramLabel = "HOST:PORT", arity = "0..1",
      description = "The master's address, e.g. 192.168.1.20:5000.")
  String address;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "Read the token from FILE (used when RMIQ_TOKEN is not set).")
  Path tokenFile;

  @Option(names = "--threads", paramLabel = "N",
      description = "Tasks to run at once. Default: the number of CPU cores.")
  Integer threads;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The name the master shows. Default: user@host.")
  String name;

  @Option(names = "--exit-when-done",
      description = "Exit 0 when the master finishes its job, instead of waiting for the next.")
  boolean exitWhenDone;

  @Option(names = {"-q", "--quiet"}, description = "Print only warnings and errors.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Print every task.")
  boolean verbose;

  private final Map<String, String> env;
  private final PrintStream stderr;

  public WorkerCommand(Map<String, String> env, PrintStream stderr) {
    this.env = env;
    this.stderr = stderr;
  }

  @Override
  public Integer call() throws InterruptedException {
    ConsoleLogging.configure(quiet, false);
    Worker worker;
    try {
      HostPort master = HostPort.parse(address);
      Optional<Token> token = Token.load(env, tokenFile);
      if (token.isEmpty()) {
        throw new IllegalArgumentException("no token: set RMIQ_TOKEN or give --token-file FILE;"
            + " the master prints the token (and the whole join command) when it starts");
      }
      Worker.Builder builder = Worker.builder(master, token.get()).exitWhenDone(exitWhenDone)
          .verbose(verbose);
      if (threads != null) {
        builder.threads(threads);
      }
      if (name != null) {
        builder.name(name);
      }
      worker = builder.build();
    } catch (IllegalArgumentException e) {
      stderr.println("run-worker: " + e.getMessage());
      return USAGE;
    }
    Thread stopper = new Thread(() -> stopOnSignal(worker), "rmiq-worker-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    worker.startAsync().awaitTerminated();
    Runtime.getRuntime().removeShutdownHook(stopper);
    if (worker.exit().code != 0) {
      stderr.println("run-worker: " + worker.exitMessage());
    }
    return worker.exit().code;
  }

  /** Ctrl-C or SIGTERM: let running tasks finish, hand back the rest, and exit 0. */
  private static void stopOnSignal(Worker worker) {
    worker.stopAsync();
    try {
      worker.awaitTerminated(Duration.ofSeconds(25).toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | IllegalStateException e) {
      // stopping anyway
    }
    Runtime.getRuntime().halt(0);
  }
}
