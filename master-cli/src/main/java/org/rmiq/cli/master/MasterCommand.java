package org.rmiq.cli.master;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rmiq.cli.ConsoleLogging;
import org.rmiq.cli.DurationConverter;
import org.rmiq.cli.SizeConverter;
import org.rmiq.cli.Terminals;
import org.rmiq.cli.TokenSource;
import org.rmiq.cli.VersionProvider;
import org.rmiq.master.Master;
import org.rmiq.net.HostPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run-master.sh [OPTIONS] [JOB]}: serve a job to workers and collect its results. */
@Command(
    name = "run-master.sh",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Starts an rmiq master: queues the JOB's tasks, serves them to workers over"
          + " one authenticated port, and prints every result as it arrives.",
      ""
    },
    footerHeading = "%nJobs:%n",
    footer = {
      "  square NUMBERS        3,5,8 or 1..1000 or @FILE (one per line) or -",
      "                        (stdin); integers of any size",
      "  sleep MILLIS[xCOUNT]  COUNT tasks that each sleep MILLIS, e.g. 200x40",
      "  sum A..B              the CPU-bound range sum: --chunks ranges summed on the",
      "                        workers, added up and checked on the master",
      "  wordcount @FILE[,…]   MapReduce: workers count the words of --chunks pieces,",
      "                        the master merges them; --out gets all the counts",
      "  download URLS         fetch each URL on the workers: @FILE (one per line)",
      "                        or - (stdin); with --serve DIR and no URLS, every",
      "                        file served. Files land in the workers' --download-dir",
      "                        (and in --collect DIR here)",
      "  task KIND INPUTS      tasks of any kind the workers run: a,b,c or @FILE",
      "                        (one input per line) or - (stdin)",
      "  (no job)              the classic demo: square 10 random numbers, or,",
      "                        with --journal, resume the job it holds",
      "  retry-failed          with --journal: run a finished job's failed tasks again",
      "",
      "Token: RMIQ_TOKEN, else --token-file, else a fresh one is made and",
      "printed once, with the command that starts a worker.",
      "",
      "Exit codes: 0 every task succeeded; 1 some failed; 2 bad usage or input;",
      "3 timed out waiting for results; 4 could not start (e.g. port in use);",
      "130 interrupted."
    })
public final class MasterCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int SOME_FAILED = 1;
  static final int USAGE = 2;
  static final int TIMED_OUT = 3;
  static final int CANNOT_START = 4;

  @Parameters(paramLabel = "JOB", arity = "0..*", description = "The job and its argument.")
  List<String> job = List.of();

  @Option(
      names = {"-p", "--port"},
      paramLabel = "N",
      defaultValue = "5000",
      description = "The port for workers (registry and service). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "The address to print in the join command (default: this machine's).")
  String host;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Read the token from FILE (it wins over RMIQ_TOKEN). Default: RMIQ_TOKEN, else this"
              + " machine's class token, made at first use.")
  Path tokenFile;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Give up when no result arrived for this long, e.g. 500ms, 10s, 2m."
              + " Default: 30s (2m for download, whose tasks may each take a minute).")
  Duration timeout;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write results to FILE: .jsonl (JSON lines) or .csv.")
  Path out;

  @Option(
      names = "--lease",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "Re-queue a worker's tasks when it is silent this long." + " Default: ${DEFAULT-VALUE}.")
  Duration lease;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "Hand a task out at most N times before its failure is final."
              + " Default: ${DEFAULT-VALUE}.")
  int maxAttempts;

  @Option(
      names = "--journal",
      paramLabel = "FILE",
      description =
          "Record the job in this SQLite file; run again with it (and the same job,"
              + " or none) to resume after a crash, or with the job retry-failed.")
  Path journal;

  @Option(
      names = "--task-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Interrupt an attempt that runs longer than this and count it as failed"
              + " (retried up to --max-attempts). Default: no limit.")
  Duration taskTimeout;

  @Option(
      names = "--insecure-plaintext",
      description =
          "Do not encrypt connections after the handshake (for measurements only; workers"
              + " need the flag too). Default: TLS 1.3, nothing to set up.")
  boolean insecurePlaintext;

  @Option(
      names = "--new-token",
      description =
          "Replace this machine's class token with a new one (workers then need the new one).")
  boolean newToken;

  @Option(
      names = "--chunks",
      paramLabel = "N",
      defaultValue = "8",
      description =
          "How many tasks sum and wordcount split their input into."
              + " Default: ${DEFAULT-VALUE}.")
  int chunks;

  @Option(
      names = "--skip-bad-lines",
      description =
          "download: skip (and list) lines of the URL list that are not http(s) URLs,"
              + " instead of refusing the job.")
  boolean skipBadLines;

  @Option(
      names = "--collect",
      paramLabel = "DIR",
      description =
          "Have workers send each downloaded file here too (in chunks, SHA-256"
              + " checked); created if missing.")
  Path collect;

  @Option(
      names = "--collect-max-bytes",
      paramLabel = "SIZE",
      defaultValue = "100MB",
      converter = SizeConverter.class,
      description = "Refuse collected files larger than SIZE. Default: ${DEFAULT-VALUE}.")
  long collectMaxBytes;

  @Option(
      names = "--serve",
      paramLabel = "DIR",
      description =
          "Serve the files of DIR over HTTP (read-only, no hidden files), e.g. for a"
              + " download demo without internet; download with no URLS fetches them all.")
  Path serve;

  @Option(
      names = "--serve-port",
      paramLabel = "N",
      defaultValue = "8000",
      description = "The port for --serve; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int servePort;

  @Option(
      names = "--status-port",
      paramLabel = "N",
      defaultValue = "8080",
      description =
          "Serve the live status page (and /api/status) on this port; 0 picks a"
              + " free one. Default: ${DEFAULT-VALUE}.")
  int statusPort;

  @Option(names = "--no-status", description = "Do not serve the status page.")
  boolean noStatus;

  @Option(
      names = "--print-results",
      description =
          "Print one line per result even when stdout is a terminal (where a"
              + " progress bar shows instead).")
  boolean printResults;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only warnings, errors and the summary.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print debugging detail.")
  boolean verbose;

  private final Map<String, String> env;
  private final InputStream stdin;
  private final PrintStream stdout;
  private final PrintStream stderr;

  public MasterCommand(
      Map<String, String> env, InputStream stdin, PrintStream stdout, PrintStream stderr) {
    this.env = env;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Creates the {@code --collect} folder now, so a bad one is a usage error, not a late one. */
  private static void checkCollectFolder(Path folder) {
    try {
      java.nio.file.Files.createDirectories(folder);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--collect "
              + folder
              + " cannot be created ("
              + e
              + "); give a folder this user can write");
    }
    if (!java.nio.file.Files.isWritable(folder)) {
      throw new IllegalArgumentException(
          "--collect " + folder + " is not writable; give a" + " folder this user can write");
    }
  }

  @Override
  public Integer call() throws Exception {
    ConsoleLogging.configure(quiet, verbose);
    try (FolderServer served = serveFolder()) {
      if (serve != null && served == null) {
        return CANNOT_START;
      }
      return run(served);
    } catch (IllegalArgumentException e) {
      stderr.println("run-master: " + e.getMessage());
      return USAGE;
    }
  }

  /** Starts {@code --serve}; null without it, or (after saying why) when it cannot start. */
  private FolderServer serveFolder() {
    if (serve == null) {
      return null;
    }
    HostPort.checkPort(servePort, "--serve-port");
    if (!java.nio.file.Files.isDirectory(serve)) {
      throw new IllegalArgumentException(
          "--serve " + serve + " is not a folder; give the" + " folder of files to serve");
    }
    try {
      return FolderServer.start(serve, null, servePort);
    } catch (IOException e) {
      stderr.println("run-master: " + e.getMessage());
      return null;
    }
  }

  private int run(FolderServer served) throws Exception {
    JobPlan plan;
    TokenSource token;
    try {
      MasterSettings.check(port, maxAttempts, lease);
      HostPort.checkPort(statusPort, "--status-port");
      if (out != null) {
        ResultFile.check(out);
      }
      if (chunks < 1 || chunks > 100_000) {
        throw new IllegalArgumentException("--chunks " + chunks + " must be 1..100000");
      }
      if (collect != null) {
        checkCollectFolder(collect);
      }
      JobOptions.ServedFiles servedUrls =
          served == null
              ? null
              : () ->
                  served.filePaths().stream()
                      .map(p -> "http://" + Banner.address(host) + ":" + served.port() + p)
                      .toList();
      plan =
          JobPlan.decide(
              job,
              journal,
              stdin,
              new SecureRandom(),
              new JobOptions(chunks, skipBadLines, servedUrls, stderr));
      token = TokenSource.forMaster(env, tokenFile, newToken);
    } catch (IllegalArgumentException e) {
      stderr.println("run-master: " + e.getMessage());
      return USAGE;
    }
    token.warnings().forEach(w -> stderr.println("run-master: warning: " + w));
    Master.Builder builder =
        Master.builder()
            .port(port)
            .token(token.token())
            .lease(lease)
            .heartbeat(MasterSettings.heartbeatFor(lease))
            .maxAttempts(maxAttempts)
            .taskTimeout(taskTimeout == null ? Duration.ZERO : taskTimeout)
            .journal(journal)
            .insecurePlaintext(insecurePlaintext);
    if (collect != null) {
      builder.collect(collect, collectMaxBytes);
    }
    Master master = builder.build();
    try {
      master.start();
    } catch (IOException e) {
      stderr.println("run-master: " + MasterSettings.startFailure(port, e));
      return CANNOT_START;
    }
    StatusServer statusPage = noStatus ? null : startStatusPage(master);
    Reduction reduction = Reduction.forSpec(plan.spec());
    boolean taskRows = out != null && (reduction == null || !reduction.ownsOutFile());
    try (ResultFile file = taskRows ? ResultFile.open(out, plan.kind()) : null) {
      new Banner(stderr, host, master.port(), token)
          .print("job: " + plan.title(), statusPage == null ? -1 : statusPage.port());
      if (served != null) {
        stderr.println(
            "  serving "
                + served.root()
                + " at http://"
                + Banner.address(host)
                + ":"
                + served.port()
                + "/");
      }
      if (collect != null) {
        stderr.println("  collecting downloaded files in " + collect.toAbsolutePath());
      }
      boolean terminal = Terminals.isInteractive();
      boolean showResults = !quiet && (printResults || !terminal);
      Collector collector =
          new Collector(
              master,
              file,
              showResults ? stdout : null,
              stderr,
              journal != null,
              terminal && !quiet,
              out,
              stdout,
              reduction);
      Duration noResultTimeout =
          timeout != null ? timeout : Duration.ofSeconds("download".equals(plan.kind()) ? 120 : 30);
      return collector.run(
          plan, noResultTimeout, new Banner(stderr, host, master.port(), token).joinCommand());
    } finally {
      if (statusPage != null) {
        statusPage.close();
      }
      master.close();
    }
  }

  /** The status page, or null (after a warning) when its port is taken. */
  private StatusServer startStatusPage(Master master) {
    try {
      return StatusServer.start(null, statusPort, master::status);
    } catch (IOException e) {
      stderr.println(
          "run-master: warning: status page not started: port "
              + statusPort
              + " is not available ("
              + e.getMessage()
              + "); choose another with --status-port N,"
              + " or --no-status");
      return null;
    }
  }
}
