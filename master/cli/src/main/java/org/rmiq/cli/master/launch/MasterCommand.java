package org.rmiq.cli.master.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rmiq.cli.CommandModel;
import org.rmiq.cli.ConsoleLogging;
import org.rmiq.cli.DurationConverter;
import org.rmiq.cli.SizeConverter;
import org.rmiq.cli.TeacherKeyFile;
import org.rmiq.cli.Terminals;
import org.rmiq.cli.TokenSource;
import org.rmiq.cli.master.ExitCodes;
import org.rmiq.cli.master.follow.ProgressView;
import org.rmiq.cli.master.job.JobContext;
import org.rmiq.cli.master.job.JobKinds;
import org.rmiq.cli.master.job.JobOptions;
import org.rmiq.cli.master.job.PluginOffers;
import org.rmiq.cli.master.job.Sources;
import org.rmiq.cli.master.session.Session;
import org.rmiq.cli.master.web.FolderServer;
import org.rmiq.master.Master;
import org.rmiq.master.MasterBuilder;
import org.rmiq.net.HostPort;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code run-master.sh [OPTIONS] [JOB]}: serve one job to workers and collect its results, or, with
 * {@code --session}, stay up and run job after job on the same workers.
 */
public final class MasterCommand implements Callable<Integer> {

  private static final List<String> DESCRIPTION =
      List.of(
          "Starts an rmiq master: queues the JOB's tasks, serves them to workers over one"
              + " authenticated, encrypted port, and prints every result as it arrives. With"
              + " --session it runs no job of its own and stays up: jobs are typed at its prompt or"
              + " sent with rmiq-submit.sh, and run one after another on the same workers.",
          "");

  /** What the help prints after the jobs. */
  public static final List<String> FOOTER =
      List.of(
          "  (no job)              the classic demo: square 10 random numbers, or,",
          "                        with --journal, resume the job it holds",
          "  retry-failed          with --journal: run its last job's failed tasks again",
          "",
          "Token: --token-file, else RMIQ_TOKEN, else this machine's class token (made at",
          "first use, kept in ~/.config/rmiq/token); the banner prints the join commands.",
          "",
          "Exit codes: 0 every task succeeded; 1 some failed; 2 bad usage or input;",
          "3 timed out (no result for --timeout while workers were connected, or no",
          "worker within --wait-for-workers); 4 could not start (e.g. port in use);",
          "5 could not write a file (--out, --journal, --collect: e.g. a full disk);",
          "130 interrupted (Ctrl-C).");

  // The options' values, written by the command line (model()), read by call().
  List<String> words = List.of();

  final JobOptions job = new JobOptions();
  boolean session;
  boolean linger;
  int port;
  String host;
  Path tokenFile;
  boolean newToken;
  boolean newTeacherKey;
  boolean studentJobs;
  Duration lease;
  Path journal;
  Path plugins;
  boolean insecurePlaintext;
  Path collect;
  long collectMaxBytes;
  Long collectMaxTotal;
  Path serve;
  int servePort;
  int statusPort;
  String statusBind;
  boolean noStatus;
  boolean quiet;
  boolean verbose;

  private final Map<String, String> env;
  private final InputStream stdin;
  private final PrintStream stdout;
  private PrintStream stderr;

  public MasterCommand(
      Map<String, String> env, InputStream stdin, PrintStream stdout, PrintStream stderr) {
    this.env = env;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * The command line's model, its options in the order the help lists them ({@link CommandModel});
   * the help ends with the jobs ({@link JobKinds#USAGE}: one list for the help and the session's
   * {@code help}, not two copies) and {@link #FOOTER}.
   */
  public CommandSpec model() {
    List<String> footer = new ArrayList<>(JobKinds.USAGE);
    footer.addAll(FOOTER);
    CommandSpec spec = CommandModel.command(this, "run-master.sh", DESCRIPTION, footer);
    spec.usageMessage().footerHeading("%nJobs:%n");
    spec.addPositional(
        CommandModel.words(() -> words, v -> words = v)
            .paramLabel("JOB")
            .arity("0..*")
            .description("The job and its arguments.")
            .build());
    job.addTo(spec);
    spec.addOption(
        CommandModel.flag(v -> session = v, "--session")
            .description(
                "Run no job of its own: stay up (until Ctrl-C, SIGTERM or quit) and run the jobs typed"
                    + " at the prompt or sent with rmiq-submit.sh, one after another.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> linger = v, "--linger")
            .description(
                "After the job, keep the status page (and the workers' master) up until Ctrl-C, to"
                    + " discuss the results.")
            .build());
    spec.addOption(
        CommandModel.option(int.class, v -> port = v, "-p", "--port")
            .paramLabel("N")
            .defaultValue("5000")
            .description("The port for workers (registry and service). Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(String.class, v -> host = v, "--host")
            .paramLabel("ADDRESS")
            .description("The address to print in the join command (default: this machine's).")
            .build());
    spec.addOption(
        CommandModel.option(Path.class, v -> tokenFile = v, "--token-file")
            .paramLabel("FILE")
            .description(
                "Read the token from FILE (it wins over RMIQ_TOKEN). Default: RMIQ_TOKEN, else this"
                    + " machine's class token, made at first use.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> newToken = v, "--new-token")
            .description(
                "Replace this machine's class token with a new one (workers then need the new one).")
            .build());
    spec.addOption(
        CommandModel.flag(v -> newTeacherKey = v, "--new-teacher-key")
            .description(
                "Replace this machine's teacher key with a new one: copies of the old one stop"
                    + " submitting, and workers started with the old --accept-code-from refuse this"
                    + " master's code until they get the new fingerprint.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> studentJobs = v, "--student-jobs")
            .description(
                "With --session: let holders of the class code submit jobs of the built-in kinds"
                    + " (square, sleep, sum, wordcount, download), one queued per computer, always"
                    + " after the teacher's. Without it, submitting needs the teacher key.")
            .build());
    spec.addOption(
        CommandModel.option(Duration.class, v -> lease = v, "--lease")
            .paramLabel("DURATION")
            .defaultValue("10s")
            .converters(new DurationConverter())
            .description(
                "Re-queue a worker's tasks when it is silent this long. Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(Path.class, v -> journal = v, "--journal")
            .paramLabel("FILE")
            .description(
                "Record jobs in this SQLite file; run again with it (and the same job, or none) to"
                    + " resume after a crash or a Ctrl-C, or with the job retry-failed. A session"
                    + " keeps its unfinished jobs in it when it ends, and resumes every unfinished job"
                    + " it holds.")
            .build());
    spec.addOption(
        CommandModel.option(Path.class, v -> plugins = v, "--plugins")
            .paramLabel("DIR")
            .description(
                "Offer the plugin jars in DIR to workers started with --accept-code, which fetch,"
                    + " check and load them.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> insecurePlaintext = v, "--insecure-plaintext")
            .description(
                "Do not encrypt connections after the handshake (for measurements only; workers need"
                    + " the flag too). Default: TLS 1.3, nothing to set up.")
            .build());
    spec.addOption(
        CommandModel.option(Path.class, v -> collect = v, "--collect")
            .paramLabel("DIR")
            .description(
                "Have workers send each downloaded file here too (in chunks, SHA-256 checked);"
                    + " created if missing.")
            .build());
    spec.addOption(
        CommandModel.option(long.class, v -> collectMaxBytes = v, "--collect-max-bytes")
            .paramLabel("SIZE")
            .defaultValue("100MB")
            .converters(new SizeConverter())
            .description("Refuse collected files larger than SIZE. Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(Long.class, v -> collectMaxTotal = v, "--collect-max-total")
            .paramLabel("SIZE")
            .converters(new SizeConverter())
            .description(
                "Refuse collected files once they (and unfinished ones) take SIZE. Default: half the"
                    + " free space of the --collect folder's disk.")
            .build());
    spec.addOption(
        CommandModel.option(Path.class, v -> serve = v, "--serve")
            .paramLabel("DIR")
            .description(
                "Serve the files of DIR over HTTP (read-only, no hidden files), e.g. for a download"
                    + " demo without internet; download with no URLS fetches them all.")
            .build());
    spec.addOption(
        CommandModel.option(int.class, v -> servePort = v, "--serve-port")
            .paramLabel("N")
            .defaultValue("8000")
            .description("The port for --serve; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(int.class, v -> statusPort = v, "--status-port")
            .paramLabel("N")
            .defaultValue("8080")
            .description(
                "Serve the live status page (and /api/status, /metrics) on this port; 0 picks a free"
                    + " one. Default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        CommandModel.option(String.class, v -> statusBind = v, "--status-bind")
            .paramLabel("ADDRESS")
            .description(
                "Serve the status page on this address only, e.g. 127.0.0.1 to keep it on this"
                    + " machine. Default: every address.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> noStatus = v, "--no-status")
            .description("Do not serve the status page.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> quiet = v, "-q", "--quiet")
            .description("Print only warnings, errors and the summary.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> verbose = v, "-v", "--verbose")
            .description("Print debugging detail.")
            .build());

    return spec;
  }

  @Override
  public Integer call() throws Exception {
    boolean terminal = Terminals.isInteractive();
    if (terminal && !(stderr instanceof ProgressView.BarSafeStream)) {
      stderr = new ProgressView.BarSafeStream(stderr);
      System.setErr(stderr); // log lines go through it too, so they never land on the bar
    }
    ConsoleLogging.configure(quiet, verbose);
    JobPlan plan;
    TokenSource token;
    TeacherKeyFile teacher;
    List<PluginOffers.Plugin> offered;
    PendingCode pending = new PendingCode();
    FolderServer served;
    try {
      check();
      offered = plugins == null ? List.of() : PluginOffers.read(plugins);
      token = TokenSource.forMaster(env, tokenFile, newToken);
      teacher = TeacherKeyFile.forMaster(env, newTeacherKey);
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    try {
      served = serveFolder(); // first: a download job lists what it serves
    } catch (StartFailure e) {
      stderr.println("run-master: " + e.getMessage());
      return ExitCodes.CANNOT_START;
    }
    try {
      plan =
          session
              ? null
              : JobPlan.of(
                  words,
                  journal,
                  () -> JobKinds.parse(words, context(Sources.local(stdin), pending)));
    } catch (IllegalArgumentException e) {
      if (served != null) {
        served.close();
      }
      return usage(e.getMessage());
    } catch (OutOfMemoryError e) { // reading the inputs alone filled the heap: nothing else runs
      if (served != null) {
        served.close();
      }
      stderr.println("run-master: " + inputsTooBig());
      return ExitCodes.USAGE;
    }
    token.warnings().forEach(w -> stderr.println("run-master: warning: " + w));
    teacher.warnings().forEach(w -> stderr.println("run-master: warning: " + w));
    Running running;
    try {
      running = launcher(token, teacher).start(served);
    } catch (StartFailure e) {
      stderr.println("run-master: " + e.getMessage());
      return ExitCodes.CANNOT_START;
    }
    try (running) {
      for (PluginOffers.Plugin p : offered) {
        String sha = running.master().offerForGood(p.name(), p.jar(), p.kinds());
        stderr.println(
            "  offering "
                + p.name()
                + " (kinds "
                + String.join(", ", p.kinds())
                + "; SHA-256 "
                + sha.substring(0, 12)
                + "…) to workers that accept the teacher's code");
      }
      pending.offerTo(running.master());
      if (session) {
        running
            .banner()
            .print(
                "session: type jobs at the prompt, or send them with"
                    + " rmiq-submit.sh "
                    + running.address()
                    + (studentJobs ? " (students may submit built-in jobs)" : ""),
                running.statusPort());
        printServing(running);
        return new Session(running, stdin, stdout, stderr, this::context, quiet, studentJobs).run();
      }
      printServing(running);
      return new OneShot(running, plan, job, journal, linger, quiet, stdout, stderr).run();
    }
  }

  private Launcher launcher(TokenSource token, TeacherKeyFile teacher) {
    MasterBuilder builder =
        Master.builder()
            .port(port)
            .token(token.token())
            .teacherKey(teacher.key())
            .lease(lease)
            .heartbeat(Settings.heartbeatFor(lease))
            .maxAttempts(job.maxAttemptsOrDefault())
            .taskTimeout(job.taskTimeoutOrDefault())
            .journal(journal)
            .insecurePlaintext(insecurePlaintext);
    if (collect != null) {
      builder.collect(collect, collectMaxBytes, collectMaxTotal == null ? 0 : collectMaxTotal);
    }
    return new Launcher(
        builder,
        new Launcher.Web(noStatus, statusBindAddress(), statusPort),
        host,
        port,
        token,
        teacher.key().fingerprint(),
        stderr);
  }

  private void check() {
    Settings.check(port, lease);
    HostPort.checkPort(statusPort, "--status-port");
    job.check();
    if (session && !words.isEmpty()) {
      throw new IllegalArgumentException(
          "--session runs no job of its own; start it without one, then type jobs at its prompt"
              + " or send them with rmiq-submit.sh (got '"
              + String.join(" ", words)
              + "')");
    }
    if (studentJobs && !session) {
      throw new IllegalArgumentException(
          "--student-jobs is for a --session: a one-shot master takes no jobs from others");
    }
    if (session && linger) {
      throw new IllegalArgumentException("--linger is for one job; a --session stays up anyway");
    }
    if (collect != null) {
      checkCollectFolder(collect);
    }
    if (serve != null) {
      HostPort.checkPort(servePort, "--serve-port");
      if (!Files.isDirectory(serve)) {
        throw new IllegalArgumentException(
            "--serve " + serve + " is not a folder; give the folder of files to serve");
      }
    }
    if (statusBind != null) {
      statusBindAddress();
    }
  }

  private InetAddress statusBindAddress() {
    if (statusBind == null) {
      return null;
    }
    try {
      return InetAddress.getByName(statusBind);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--status-bind " + statusBind + " is not an address of this machine: " + e.getMessage());
    }
  }

  /** The job context for words read from {@code sources}, offering code through {@code code}. */
  JobContext context(Sources sources, JobContext.CodeShipper code) {
    return new JobContext(
        sources,
        new SecureRandom(),
        job.chunksOrDefault(),
        job.skipBadLines,
        servedUrls,
        w -> stderr.println("run-master: " + w),
        code);
  }

  /** The URLs --serve offers, once it runs. */
  private volatile JobContext.ServedFiles servedUrls;

  /** Starts {@code --serve}, or returns null without it. */
  private FolderServer serveFolder() throws StartFailure {
    if (serve == null) {
      return null;
    }
    FolderServer files;
    try {
      files = FolderServer.start(serve, null, servePort);
    } catch (IOException e) {
      throw new StartFailure(e.getMessage());
    }
    servedUrls =
        () ->
            files.filePaths().stream()
                .map(p -> "http://" + Banner.address(host) + ":" + files.port() + p)
                .toList();
    return files;
  }

  private void printServing(Running running) {
    if (running.served() != null) {
      stderr.println(
          "  serving "
              + running.served().root()
              + " at http://"
              + Banner.address(host)
              + ":"
              + running.served().port()
              + "/");
    }
    if (collect != null) {
      stderr.println("  collecting downloaded files in " + collect.toAbsolutePath());
    }
  }

  /**
   * Said when the job's inputs alone ran the heap out while the main thread read or copied them:
   * what was allocated is garbage once the error unwound, so the master can say so and stop.
   */
  static String inputsTooBig() {
    return String.format(
        java.util.Locale.ROOT,
        "the job's inputs do not fit this master's heap of %.1f GiB; split the job, or start the"
            + " master with a bigger heap (e.g. RMIQ_JAVA_OPTS=-Xmx4g scripts/run-master.sh …)",
        Runtime.getRuntime().maxMemory() / (double) (1L << 30));
  }

  /** Creates the {@code --collect} folder now, so a bad one is a usage error, not a late one. */
  private static void checkCollectFolder(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--collect "
              + folder
              + " cannot be created ("
              + e
              + "); give a folder this user can"
              + " write");
    }
    if (!Files.isWritable(folder)) {
      throw new IllegalArgumentException(
          "--collect " + folder + " is not writable; give a folder this user can write");
    }
  }

  private int usage(String message) {
    stderr.println("run-master: " + message);
    stderr.println("run-master: see run-master.sh --help for the jobs and options");
    return ExitCodes.USAGE;
  }
}
