package org.rmiq.cli.master.session;

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
import org.rmiq.cli.CommandModel;
import org.rmiq.cli.ConsoleLogging;
import org.rmiq.cli.MasterAccess;
import org.rmiq.cli.Signals;
import org.rmiq.cli.TeacherKeyFile;
import org.rmiq.cli.Terminals;
import org.rmiq.cli.master.ExitCodes;
import org.rmiq.cli.master.follow.JobRunner;
import org.rmiq.cli.master.follow.ProgressView;
import org.rmiq.cli.master.follow.RemoteFeed;
import org.rmiq.cli.master.job.JobKind;
import org.rmiq.cli.master.job.JobKinds;
import org.rmiq.cli.master.job.JobOptions;
import org.rmiq.client.JobRefusedException;
import org.rmiq.client.MasterCallException;
import org.rmiq.client.MasterClient;
import org.rmiq.client.RemoteJob;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rmiq-submit.sh HOST:PORT [JOB OPTIONS] JOB}: runs a job on a session master from any
 * machine. Submitting needs the teacher key (this machine's, or {@code --teacher-key-file}), unless
 * the session takes student jobs. It prints result lines, progress and the summary as the one-shot
 * master does, writes {@code --out} here, and exits with the same codes; Ctrl-C cancels the job.
 * {@code --cancel N} cancels job N instead.
 */
public final class SubmitCommand implements Callable<Integer> {
  private static final List<String> DESCRIPTION =
      List.of(
          "Submits a JOB to the session master at HOST:PORT (run-master.sh --session), follows it"
              + " to its end and prints its results here. The jobs and their options are those of"
              + " run-master.sh; @FILE and - are read here and sent along. Submitting needs the"
              + " teacher key, unless the session was started with --student-jobs.",
          "");

  private static final List<String> FOOTER =
      List.of(
          "",
          "Token: --token-file, else RMIQ_TOKEN, else this machine's class token.",
          "Teacher key: --teacher-key-file, else this machine's (~/.config/rmiq/teacher-key).",
          "",
          "Exit codes: 0 every task succeeded; 1 some failed; 2 bad job (checked by the",
          "master before it is queued); 3 timed out, or the teacher key is needed or refused;",
          "4 the master could not be reached, refused us, or is not a session master;",
          "5 could not write --out; 130 Ctrl-C (which cancels the job: its tasks are withdrawn).");

  // The options' values, written by the command line (model()), read by call().
  final MasterAccess access = new MasterAccess();
  List<String> words = new ArrayList<>();

  final JobOptions job = new JobOptions();
  Path teacherKeyFile;
  Long cancel;
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

  /**
   * The command line's model, its options in the order the help lists them ({@link CommandModel}).
   */
  public CommandSpec model() {
    CommandSpec spec = CommandModel.command(this, "rmiq-submit.sh", DESCRIPTION, FOOTER);
    access.addTo(spec);
    spec.addPositional(
        CommandModel.words(() -> words, v -> words = v)
            .index("1..*")
            .arity("0..1") // per position: what the annotation gave, so a --cancel needs no JOB
            .paramLabel("JOB")
            .description("The job and its arguments.")
            .build());
    job.addTo(spec);
    spec.addOption(
        CommandModel.option(Path.class, v -> teacherKeyFile = v, "--teacher-key-file")
            .paramLabel("FILE")
            .description(
                "Prove the teacher key in FILE (a copy of the teacher-key file of the master's"
                    + " machine). Default: this machine's teacher key, if a master made one here.")
            .build());
    spec.addOption(
        CommandModel.option(Long.class, v -> cancel = v, "--cancel")
            .paramLabel("N")
            .description("Cancel job N on the session master (needs the teacher key), instead.")
            .build());
    spec.addOption(
        CommandModel.flag(v -> quiet = v, "-q", "--quiet")
            .description("Print only warnings, errors and the summary.")
            .build());
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    boolean terminal = Terminals.isInteractive();
    if (terminal && !(stderr instanceof ProgressView.BarSafeStream)) {
      stderr = new ProgressView.BarSafeStream(stderr);
      System.setErr(stderr);
    }
    ConsoleLogging.configure(true, false);
    MasterClient client;
    JobKind kind = null;
    Map<String, byte[]> attachments = Map.of();
    try {
      MasterClient.Builder builder = access.client(env, stderr, "rmiq-submit");
      TeacherKeyFile key = TeacherKeyFile.forSubmitter(env, teacherKeyFile);
      if (key != null) {
        key.warnings().forEach(w -> stderr.println("rmiq-submit: warning: " + w));
        builder.teacherKey(key.key());
      }
      client = builder.build();
      job.check();
      if (cancel == null) {
        if (words.isEmpty()) {
          throw new IllegalArgumentException(
              "give a job to submit, e.g. rmiq-submit.sh " + access.address + " square 1..100");
        }
        kind = JobKinds.describe(String.join(" ", words));
        attachments = attachments(words);
      } else if (!words.isEmpty()) {
        throw new IllegalArgumentException("--cancel N takes no job; give one or the other");
      }
    } catch (IllegalArgumentException e) {
      stderr.println("rmiq-submit: " + e.getMessage());
      stderr.println("rmiq-submit: see rmiq-submit.sh --help");
      return ExitCodes.USAGE;
    }
    if (cancel != null) {
      return cancel(client, cancel);
    }
    List<String> sent = new ArrayList<>(job.forMaster());
    sent.add("--");
    sent.addAll(words);
    // Ctrl-C from here on cancels the job, even one pressed while the master is still taking it
    // (the job is then cancelled as soon as it has a number); a second press exits at once.
    AtomicBoolean stop = new AtomicBoolean();
    Signals.handle(
        "INT",
        () -> {
          if (!stop.compareAndSet(false, true)) {
            Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
          }
        });
    RemoteJob remote;
    try {
      remote = client.submit(sent, attachments);
    } catch (MasterCallException e) {
      return unreachable(e);
    } catch (JobRefusedException e) {
      return refused(e);
    }
    stderr.println(
        "rmiq-submit: job "
            + remote.id()
            + " at "
            + client.master()
            + ": "
            + remote.title()
            + (remote.queuedBehind() > 0
                ? " (queued behind " + remote.queuedBehind() + " job(s))"
                : ""));
    RemoteFeed feed = new RemoteFeed(remote);
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
                      "scripts/run-worker.sh " + client.master(),
                      "rmiq-submit"),
                  stop)
              .run(List.of());
    } catch (MasterCallException e) {
      return unreachable(e);
    }
    if (code == ExitCodes.INTERRUPTED || code == ExitCodes.TIMED_OUT) {
      try {
        remote.cancel();
        stderr.println("rmiq-submit: job " + remote.id() + " cancelled at the master");
      } catch (MasterCallException e) {
        stderr.println(
            "rmiq-submit: could not cancel job "
                + remote.id()
                + " ("
                + e.getMessage()
                + "); the master cancels it when nobody follows it for 30 s");
      }
    }
    return code;
  }

  private int cancel(MasterClient client, long jobId) {
    try {
      stderr.println("rmiq-submit: " + client.cancel(jobId));
      return ExitCodes.OK;
    } catch (MasterCallException e) {
      return unreachable(e);
    } catch (JobRefusedException e) {
      return refused(e);
    }
  }

  /** A refusal, in the master's words plus what to do here, and its exit code. */
  private int refused(JobRefusedException e) {
    switch (e.reason()) {
      case NEEDS_TEACHER_KEY -> {
        stderr.println(
            "rmiq-submit: "
                + e.getMessage()
                + ": this machine has no teacher key; give --teacher-key-file FILE, a copy of the"
                + " teacher-key file of the master's machine (or ask the teacher to start the"
                + " session with --student-jobs)");
        return ExitCodes.TIMED_OUT;
      }
      case NOT_A_SESSION -> {
        stderr.println(
            "rmiq-submit: "
                + e.getMessage()
                + ": start it with run-master.sh --session to submit jobs to it");
        return ExitCodes.CANNOT_START;
      }
      case QUOTA -> {
        stderr.println("rmiq-submit: " + e.getMessage());
        return ExitCodes.CANNOT_START;
      }
      case CANNOT_RECORD -> {
        stderr.println("rmiq-submit: " + e.getMessage());
        return ExitCodes.WRITE_FAILED;
      }
      default -> {
        stderr.println("rmiq-submit: " + e.getMessage());
        return ExitCodes.USAGE;
      }
    }
  }

  private int unreachable(MasterCallException e) {
    String message = e.getMessage();
    if (e.kind() == MasterCallException.Kind.CREDENTIAL_REFUSED) {
      message +=
          message.contains("teacher key")
              ? ""
              : " (this command's token came from " + access.tokenSource + ")";
      stderr.println("rmiq-submit: " + message);
      return ExitCodes.TIMED_OUT;
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
        if (total > MasterClient.MAX_ATTACHED_BYTES) {
          throw new IllegalArgumentException(
              "the files of this job take more than "
                  + (MasterClient.MAX_ATTACHED_BYTES >> 20)
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
        return stdin.readNBytes(MasterClient.MAX_ATTACHED_BYTES + 1);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read stdin: " + e.getMessage(), e);
      }
    }
    Path file = Path.of(name.startsWith("@") ? name.substring(1) : name);
    try {
      if (Files.size(file) > MasterClient.MAX_ATTACHED_BYTES) {
        throw new IllegalArgumentException(
            file
                + " is larger than "
                + (MasterClient.MAX_ATTACHED_BYTES >> 20)
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
