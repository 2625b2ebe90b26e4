package org.rmiq.cli.worker;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rmiq.cli.CommandModel;
import org.rmiq.cli.ConsoleLogging;
import org.rmiq.cli.DurationConverter;
import org.rmiq.cli.JarRelaunch;
import org.rmiq.cli.MasterAccess;
import org.rmiq.cli.Signals;
import org.rmiq.cli.SizeConverter;
import org.rmiq.cli.Terminals;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import org.rmiq.worker.Worker;
import org.rmiq.worker.download.DownloadSettings;
import picocli.CommandLine.Model.CommandSpec;

/** {@code run-worker.sh HOST:PORT [OPTIONS]}: join a master and run its tasks. */
public final class WorkerCommand implements Callable<Integer> {
  static final int USAGE = 2;

  private static final List<String> DESCRIPTION =
      List.of(
          "Joins the rmiq master at HOST:PORT, runs its tasks and reports the results."
              + " Keeps running (and re-joins) when the master stops, unless --exit-when-done.",
          "");

  private static final List<String> FOOTER =
      List.of(
          "",
          "Token: --token-file, else RMIQ_TOKEN, else this machine's class token (the",
          "master prints the whole join command, token included).",
          "",
          "Exit codes: 0 stopped normally (Ctrl-C, SIGTERM, or --exit-when-done); 2 bad",
          "usage (address, token); 3 the master refused the token (or is not genuine);",
          "4 not an rmiq master there, another version, or none within --connect-timeout.");

  // The options' values, written by the command line (model()), read by call().
  final MasterAccess access = new MasterAccess();
  Integer threads;
  String name;
  boolean exitWhenDone;
  String acceptCodeFrom;
  boolean acceptCode;
  Duration connectTimeout;
  Duration callTimeout;
  Duration grace;
  java.nio.file.Path plugins;
  int downloads;
  java.nio.file.Path downloadDir;
  Duration downloadTimeout;
  long maxBytes;
  boolean allowPrivateAddresses;
  boolean quiet;
  boolean verbose;

  private final Map<String, String> env;
  private final PrintStream stderr;

  public WorkerCommand(Map<String, String> env, PrintStream stderr) {
    this.env = env;
    this.stderr = stderr;
  }

  /**
   * The command line's model, its options in the order the help lists them ({@link CommandModel}).
   */
  public CommandSpec model() {
    CommandSpec spec = CommandModel.command(this, "run-worker.sh", DESCRIPTION, FOOTER);
    access.addTo(spec);
    spec.addOption(
        CommandModel.option(Integer.class, v -> threads = v, "--threads")
            .paramLabel("N")
            .description("Tasks to run at once. Default: the number of CPU cores.")
            .build());
    spec.addOption(
        CommandModel.option(String.class, v -> name = v, "--name")
            .paramLabel("NAME")
            .description("The name the master shows. Default: user@host.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> exitWhenDone = v, "--exit-when-done")
            .description(
                "Exit 0 when the master finishes its job, instead of waiting for the next.")
            .build());
    spec.addOption(
        CommandModel.option(String.class, v -> acceptCodeFrom = v, "--accept-code-from")
            .paramLabel("FINGERPRINT")
            .description(
                "Run code the master ships (one-file kinds, plugin jars), but only code signed by the"
                    + " teacher key with this fingerprint (the master prints it in its join line for"
                    + " code): checked before it is fetched, SHA-256 checked, loaded at its first task"
                    + " with the task API only. Code from anyone else is refused, whoever offers it.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> acceptCode = v, "--accept-code")
            .description(
                "Run code any master with the class code ships, signed or not: a student could run a"
                    + " master of their own (or sit in the middle) and run programs here. For a demo"
                    + " on your own machine; in a class use --accept-code-from. See SECURITY.md.")
            .build());
    spec.addOption(
        CommandModel.option(Duration.class, v -> connectTimeout = v, "--connect-timeout")
            .paramLabel("DURATION")
            .converters(new DurationConverter())
            .description(
                "Give up (exit 4) when no master answered within DURATION of the start. Default: wait"
                    + " for one as long as it takes, saying so once.")
            .build());
    spec.addOption(
        CommandModel.option(Duration.class, v -> callTimeout = v, "--call-timeout")
            .paramLabel("DURATION")
            .defaultValue("30s")
            .converters(new DurationConverter())
            .description(
                "Give up on a call to the master after this long (then reconnect)."
                    + " Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(Duration.class, v -> grace = v, "--grace")
            .paramLabel("DURATION")
            .defaultValue("10s")
            .converters(new DurationConverter())
            .description(
                "On Ctrl-C or SIGTERM, let running tasks finish for this long."
                    + " Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(java.nio.file.Path.class, v -> plugins = v, "--plugins")
            .paramLabel("DIR")
            .description(
                "Also run the task kinds of the plugin jars in DIR. Default: ./plugins when"
                    + " that folder exists.")
            .build());
    spec.addOption(
        CommandModel.option(int.class, v -> downloads = v, "--downloads")
            .paramLabel("N")
            .defaultValue("8")
            .description(
                "download tasks to run at once, in addition to --threads (downloads wait on"
                    + " the network, not the CPU). Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(java.nio.file.Path.class, v -> downloadDir = v, "--download-dir")
            .paramLabel("DIR")
            .defaultValue("downloads")
            .description(
                "Save downloaded files here (created at the first download)."
                    + " Default: ./${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(Duration.class, v -> downloadTimeout = v, "--download-timeout")
            .paramLabel("DURATION")
            .defaultValue("60s")
            .converters(new DurationConverter())
            .description(
                "Give up on one download (redirects and a slow body included) after this"
                    + " long; it is retried. Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(long.class, v -> maxBytes = v, "--max-bytes")
            .paramLabel("SIZE")
            .defaultValue("100MB")
            .converters(new SizeConverter())
            .description(
                "Stop a download whose body passes SIZE (e.g. 512KB, 100MB, 2GB), whatever"
                    + " the server announced; it fails for good. Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> allowPrivateAddresses = v, "--allow-private-addresses")
            .description(
                "Let download tasks fetch loopback, private, link-local and similar addresses (a lab"
                    + " network's own servers). Default: public addresses only, plus the master's own"
                    + " --serve.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> quiet = v, "-q", "--quiet")
            .description("Print only warnings and errors.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> verbose = v, "-v", "--verbose")
            .description("Print every task.")
            .build());
    return spec;
  }

  @Override
  public Integer call() throws InterruptedException {
    ConsoleLogging.configure(quiet, false);
    Worker worker;
    try {
      HostPort master = access.master();
      Token token = tokenOrAsk();
      if (callTimeout.compareTo(Duration.ofSeconds(2)) < 0) {
        throw new IllegalArgumentException(
            "--call-timeout "
                + callTimeout.toMillis()
                + "ms is"
                + " too short: give at least 2s (a worker's long poll waits up to 1s)");
      }
      Duration connect =
          callTimeout.compareTo(Duration.ofSeconds(10)) < 0 ? callTimeout : Duration.ofSeconds(10);
      if (acceptCode && acceptCodeFrom != null) {
        throw new IllegalArgumentException(
            "give --accept-code-from FINGERPRINT (code signed by the teacher) or --accept-code"
                + " (any code), not both");
      }
      Worker.Builder builder =
          Worker.builder(master, token)
              .insecurePlaintext(access.plaintext)
              .exitWhenDone(exitWhenDone)
              .verbose(verbose)
              .timeouts(connect, callTimeout)
              .grace(grace)
              .acceptCode(acceptCode)
              .waitForMaster(connectTimeout == null ? Duration.ZERO : connectTimeout)
              .downloads(
                  DownloadSettings.defaults()
                      .withConcurrent(downloads)
                      .withFolder(downloadDir)
                      .withTimeout(downloadTimeout)
                      .withMaxBytes(maxBytes)
                      .withAllowPrivateAddresses(allowPrivateAddresses));
      if (threads != null) {
        builder.threads(threads);
      }
      if (plugins != null) {
        builder.plugins(plugins);
      } else if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("plugins"))) {
        builder.plugins(java.nio.file.Path.of("plugins"));
      }
      if (acceptCodeFrom != null) {
        builder.acceptCodeFrom(acceptCodeFrom);
      }
      if (name != null) {
        builder.name(name);
      }
      worker = builder.build();
      if (acceptCode) {
        stderr.println(
            "run-worker: warning: --accept-code runs code from any master that knows the class"
                + " code: anyone in the class could run a master (or sit in the middle) and run"
                + " programs on this machine. In a class, start it with the teacher's"
                + " --accept-code-from FINGERPRINT instead.");
      }
    } catch (IllegalArgumentException e) {
      stderr.println("run-worker: " + e.getMessage());
      stderr.println("run-worker: see run-worker.sh --help for every option");
      return USAGE;
    }
    Thread stopper = new Thread(() -> stopOnSignal(worker, grace, quiet), "rmiq-worker-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    handleCtrlC(worker);
    worker.startAsync().awaitTerminated();
    keepClassData(worker, quiet);
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException shuttingDown) {
      // SIGTERM arrived: the hook is stopping the worker and ends the JVM with exit 0
    }
    if (worker.exit().code != 0) {
      String why = worker.exitMessage();
      if (worker.exit() == Worker.Exit.TOKEN_REFUSED) {
        why += " (this worker's token came from " + access.tokenSource + ")";
      }
      stderr.println("run-worker: " + why);
    }
    return worker.exit().code;
  }

  /**
   * The token: given ({@code --token-file}, {@code RMIQ_TOKEN}, this machine's class token), else,
   * on a terminal, asked for: the class code is on the board, so nothing is hidden as it is typed.
   */
  private Token tokenOrAsk() {
    try {
      return access.token(env, stderr, "run-worker");
    } catch (IllegalArgumentException none) {
      if (!Terminals.isInteractive() || access.tokenFile != null) {
        throw none;
      }
      String typed =
          System.console().readLine("class code (as the teacher wrote it on the board): ");
      if (typed == null || typed.isBlank()) {
        throw none;
      }
      access.tokenSource = "the class code typed at the prompt";
      return Token.of(typed);
    }
  }

  /**
   * The first Ctrl-C stops the worker gracefully (like SIGTERM, exit 0); a second one, during the
   * grace period, stops it at once (exit 130), leaving its tasks to lease expiry.
   */
  private void handleCtrlC(Worker worker) {
    AtomicInteger presses = new AtomicInteger();
    // Where SIGINT cannot be handled (some Windows consoles) the shutdown hook still stops
    // gracefully.
    Signals.handle(
        "INT",
        () -> {
          if (presses.incrementAndGet() == 1) {
            stderr.println(
                "run-worker: stopping: finishing running tasks (up to "
                    + grace.toSeconds()
                    + "s) and handing the rest back; press Ctrl-C again to stop at once");
            worker.stopAsync();
          } else {
            Runtime.getRuntime().halt(130);
          }
        });
  }

  /**
   * A plain {@code java -jar} start with no class-data archive yet makes one as it exits; it is
   * kept for the next starts only when this worker joined a master ({@link JarRelaunch}). Said
   * (unless -q), as the exit takes a moment longer.
   */
  private static void keepClassData(Worker worker, boolean quiet) {
    if (worker.hasJoined() && JarRelaunch.keepTraining() && !quiet) {
      System.err.println(
          "run-worker: saving the classes this start loaded, so that the next one is faster"
              + " (once, a few seconds)");
    }
  }

  /** SIGTERM (or Ctrl-C where it cannot be caught): let running tasks finish, then exit 0. */
  private static void stopOnSignal(Worker worker, Duration grace, boolean quiet) {
    worker.stopAsync();
    try {
      worker.awaitTerminated(grace.toSeconds() * 2 + 5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | IllegalStateException e) {
      // stopping anyway
    }
    keepClassData(worker, quiet);
    Runtime.getRuntime().halt(0);
  }
}
