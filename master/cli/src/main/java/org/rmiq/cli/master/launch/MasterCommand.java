package org.rmiq.cli.master.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rmiq.cli.ConsoleLogging;
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

  /** The command line's model ({@link MasterModel}). */
  public CommandSpec model() {
    return MasterModel.of(this);
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
