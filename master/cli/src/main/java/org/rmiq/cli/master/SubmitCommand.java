package org.rmiq.cli.master;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.rmiq.cli.ConsoleLogging;
import org.rmiq.cli.MasterAccess;
import org.rmiq.cli.Signals;
import org.rmiq.cli.Terminals;
import org.rmiq.cli.VersionProvider;
import org.rmiq.internal.transport.CallFailure;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.transport.MasterConnector;
import org.rmiq.internal.wire.JobReceipt;
import org.rmiq.internal.wire.JobRequest;
import org.rmiq.internal.wire.MasterService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rmiq-submit.sh HOST:PORT [JOB OPTIONS] JOB}: runs a job on a session master from any
 * machine with the token. It prints result lines, progress and the summary as the one-shot master
 * does, writes {@code --out} here, and exits with the same codes; Ctrl-C cancels the job.
 */
@Command(
    name = "rmiq-submit.sh",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Submits a JOB to the session master at HOST:PORT (run-master.sh --session), follows it"
          + " to its end and prints its results here. The jobs and their options are those of"
          + " run-master.sh; @FILE and - are read here and sent along.",
      ""
    },
    footer = {
      "",
      "Token: --token-file, else RMIQ_TOKEN, else this machine's class token.",
      "",
      "Exit codes: 0 every task succeeded; 1 some failed; 2 bad job (checked by the",
      "master before it is queued); 3 timed out; 4 the master could not be reached,",
      "refused us, or is not a session master; 5 could not write --out; 130 Ctrl-C",
      "(which cancels the job: its tasks are withdrawn)."
    })
public final class SubmitCommand implements Callable<Integer> {
  @Mixin MasterAccess access = new MasterAccess();

  @Parameters(index = "1..*", paramLabel = "JOB", description = "The job and its arguments.")
  List<String> words = new ArrayList<>();

  @Mixin JobOptions job = new JobOptions();

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only warnings, errors and the summary.")
  boolean quiet;

  private final Map<String, String> env;
  private final InputStream stdin;
  private final PrintStream stdout;
  private PrintStream stderr;

  public SubmitCommand(
      Map<String, String> env, InputStream stdin, PrintStream stdout, PrintStream stderr) {
    this.env = env;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  @Override
  public Integer call() throws Exception {
    boolean terminal = Terminals.isInteractive();
    if (terminal && !(stderr instanceof ProgressView.BarSafeStream)) {
      stderr = new ProgressView.BarSafeStream(stderr);
      System.setErr(stderr);
    }
    ConsoleLogging.configure(true, false);
    ClientProfile profile;
    JobKind kind;
    Map<String, byte[]> attachments;
    try {
      profile = access.profile(env, stderr, "rmiq-submit");
      job.check();
      if (words.isEmpty()) {
        throw new IllegalArgumentException(
            "give a job to submit, e.g. rmiq-submit.sh " + access.address + " square 1..100");
      }
      kind = JobKinds.describe(String.join(" ", words));
      attachments = attachments(words);
    } catch (IllegalArgumentException e) {
      stderr.println("rmiq-submit: " + e.getMessage());
      stderr.println("rmiq-submit: see rmiq-submit.sh --help");
      return ExitCodes.USAGE;
    }
    MasterService master;
    JobReceipt receipt;
    try {
      master = MasterConnector.lookup(profile);
      List<String> sent = new ArrayList<>(job.forMaster());
      sent.add("--");
      sent.addAll(words);
      List<JobRequest.Attachment> files = new ArrayList<>();
      attachments.forEach((name, content) -> files.add(new JobRequest.Attachment(name, content)));
      receipt = master.submitJob(new JobRequest(sent, files));
    } catch (Exception e) {
      return unreachable(profile, e);
    }
    if (receipt.refusal() != null) {
      stderr.println("rmiq-submit: " + receipt.refusal());
      return receipt.exitCode();
    }
    stderr.println(
        "rmiq-submit: job "
            + receipt.jobId()
            + " at "
            + profile.master()
            + ": "
            + receipt.title()
            + (receipt.queuedBehind() > 0
                ? " (queued behind " + receipt.queuedBehind() + " job(s))"
                : ""));
    RemoteFeed feed = new RemoteFeed(master, receipt.ticket(), receipt.jobId());
    AtomicBoolean stop = new AtomicBoolean();
    Signals.handle("INT", () -> stop.set(true));
    boolean bar = stderr instanceof ProgressView.BarSafeStream;
    int code;
    try {
      code =
          new JobRunner(
                  feed,
                  kind,
                  job,
                  new JobRunner.Output(
                      stdout,
                      stderr,
                      !quiet && (job.printResults || !bar),
                      bar && !quiet,
                      job.out,
                      "scripts/run-worker.sh " + profile.master(),
                      "rmiq-submit"),
                  stop)
              .run(List.of());
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      return unreachable(profile, e);
    }
    if (code == ExitCodes.INTERRUPTED || code == ExitCodes.TIMED_OUT) {
      try {
        feed.cancel("cancelled by its submitter");
        stderr.println("rmiq-submit: job " + receipt.jobId() + " cancelled at the master");
      } catch (Exception e) {
        stderr.println(
            "rmiq-submit: could not cancel job "
                + receipt.jobId()
                + " ("
                + CallFailure.of(profile.master(), e, true).message()
                + "); the master cancels it when nobody follows it for 30 s");
      }
    }
    return code;
  }

  private int unreachable(ClientProfile profile, Exception e) {
    CallFailure failure = CallFailure.of(profile.master(), e, false);
    String message = failure.message();
    if (failure.kind() == CallFailure.Kind.TOKEN_REFUSED) {
      message += " (this command's token came from " + access.tokenSource + ")";
    }
    stderr.println("rmiq-submit: " + message);
    return ExitCodes.CANNOT_START;
  }

  /**
   * The files and standard input the job's words name, read here: {@code @FILE} (also in comma
   * lists), {@code -}, and the source file of {@code run}.
   */
  private Map<String, byte[]> attachments(List<String> words) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    long total = 0;
    for (int i = 1; i < words.size(); i++) {
      String word = words.get(i);
      List<String> names = new ArrayList<>();
      if (word.equals("-")) {
        names.add("-");
      } else if (words.get(0).equals("run") && i == 1) {
        names.add(word);
      } else {
        for (String item : word.split(",", -1)) {
          if (item.startsWith("@") && item.length() > 1) {
            names.add(item);
          }
        }
      }
      for (String name : names) {
        byte[] content = read(name);
        total += content.length;
        if (total > JobRequest.MAX_ATTACHED_BYTES) {
          throw new IllegalArgumentException(
              "the files of this job take more than "
                  + (JobRequest.MAX_ATTACHED_BYTES >> 20)
                  + " MiB; a submitted job may send at most that (run bigger jobs on the"
                  + " master's own machine)");
        }
        files.put(name, content);
      }
    }
    return files;
  }

  private byte[] read(String name) {
    if (name.equals("-")) {
      try {
        return stdin.readNBytes(JobRequest.MAX_ATTACHED_BYTES + 1);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read stdin: " + e.getMessage(), e);
      }
    }
    Path file = Path.of(name.startsWith("@") ? name.substring(1) : name);
    try {
      if (Files.size(file) > JobRequest.MAX_ATTACHED_BYTES) {
        throw new IllegalArgumentException(
            file
                + " is larger than "
                + (JobRequest.MAX_ATTACHED_BYTES >> 20)
                + " MiB, the most a submitted job may send");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "input file " + file + " does not exist (from '" + name + "'); give an existing file", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
