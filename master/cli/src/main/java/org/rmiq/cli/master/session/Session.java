package org.rmiq.cli.master.session;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import org.rmiq.cli.CommandModel;
import org.rmiq.cli.master.ExitCodes;
import org.rmiq.cli.master.job.JobContext;
import org.rmiq.cli.master.job.JobKind;
import org.rmiq.cli.master.job.JobKinds;
import org.rmiq.cli.master.job.JobOptions;
import org.rmiq.cli.master.job.Sources;
import org.rmiq.cli.master.launch.Running;
import org.rmiq.cli.master.launch.StopControl;
import org.rmiq.master.Job;
import org.rmiq.master.JobIntake;
import org.rmiq.master.Master;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A lesson-long master ({@code run-master.sh --session}): no job of its own; it stays up until
 * Ctrl-C, SIGTERM or {@code quit}, and runs the jobs typed at its prompt or submitted with {@code
 * rmiq-submit.sh} one after another ({@link JobQueue}: the teacher's first) on the same workers,
 * who join once.
 *
 * <p>The prompt never waits for a job: a typed job is queued and followed on a thread of its own
 * ({@link PromptJobs}), so {@code jobs}, {@code status}, {@code cancel N} and new jobs answer at
 * once while jobs run. Who may submit from elsewhere is proven by the connection: the teacher key
 * submits anything and cancels; with {@code --student-jobs}, the class code submits built-in jobs
 * only, one queued per computer, behind the teacher's.
 */
public final class Session implements JobIntake {
  /** The jobs a student may submit with {@code --student-jobs}: built-in kinds only. */
  static final Set<String> STUDENT_JOBS = Set.of("square", "sleep", "sum", "wordcount", "download");

  private final Running running;
  private final Master master;
  private final InputStream stdin;
  private final PrintStream stdout;
  private final PrintStream stderr;
  private final BiFunction<Sources, JobContext.CodeShipper, JobContext> contexts;
  private final boolean quiet;
  private final boolean studentJobs;
  private final JobQueue queue;
  private final StopControl stop;

  /** Set when it has ended (jobs cancelled, workers told), so SIGTERM waits for that. */
  private final CountDownLatch ended = new CountDownLatch(1);

  private volatile PromptJobs promptJobs;

  /** Jobs resumed from the journal, followed once the prompt (or its absence) is ready. */
  private final List<Job> resumed = new ArrayList<>();

  public Session(
      Running running,
      InputStream stdin,
      PrintStream stdout,
      PrintStream stderr,
      BiFunction<Sources, JobContext.CodeShipper, JobContext> contexts,
      boolean quiet,
      boolean studentJobs) {
    this.running = running;
    this.master = running.master();
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    this.contexts = contexts;
    this.quiet = quiet;
    this.studentJobs = studentJobs;
    this.queue = new JobQueue(stderr, quiet);
    this.stop = new StopControl(master);
  }

  /**
   * Runs the session until it is told to stop; returns the exit code: 0, or 5 when a file could not
   * be written.
   */
  public int run() throws InterruptedException {
    for (Job job : master.resumable()) {
      stderr.println(
          "run-master: resuming job " + job.id() + " from the journal: " + job.spec().spec());
      queue.addTeacher(job);
      resumed.add(job);
    }
    Thread starter = new Thread(queue::startInTurn, "rmiq-session-jobs");
    starter.setDaemon(true);
    starter.start();
    master.takeJobsFrom(this);
    stop.onTerm(() -> awaitEnded());
    SessionPrompt prompt = new SessionPrompt(this, stdin, stdout, stderr);
    try {
      Thread reader = new Thread(prompt, "rmiq-session-prompt");
      reader.setDaemon(true); // a prompt waiting for a line never holds the session up
      reader.start();
      stop.await();
    } finally {
      prompt.close();
      master.takeJobsFrom(null);
      starter.interrupt();
      String failure = stop.writeFailure();
      if (failure == null) {
        List<Job> kept = master.journalFile() == null ? List.of() : queue.unfinished();
        if (kept.isEmpty()) {
          queue.cancelAll("the session stopped");
        } else {
          // Like a one-shot master's Ctrl-C: with a journal, stopping is not cancelling.
          stderr.println(
              "run-master: "
                  + kept.size()
                  + " unfinished job(s) kept in "
                  + master.journalFile()
                  + " ("
                  + String.join(", ", kept.stream().map(j -> "job " + j.id()).toList())
                  + "): a session started with the same --journal resumes them, a prompt job's"
                  + " --out ending with every result once (cancel N there drops one)");
        }
        master.finish();
        master.awaitWorkersTold(Duration.ofSeconds(3));
      } else {
        // Its jobs stay unfinished (not cancelled) in the journal, so the next session resumes
        // them; the workers are not told it finished, so they wait for that next session.
        stderr.println("run-master: " + stop.failureSentence(master.journalFile() != null, true));
      }
      stderr.println("run-master: session ended");
      ended.countDown();
      stop.removeTermHook();
    }
    return stop.writeFailure() == null ? ExitCodes.OK : ExitCodes.WRITE_FAILED;
  }

  private void awaitEnded() {
    try {
      ended.await(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the session (quit, Ctrl-C at an idle prompt, SIGTERM, end of input on a terminal). */
  void stop() {
    stop.stop();
  }

  boolean isStopping() {
    return stop.isStopping();
  }

  /** Waits until the session ends (a prompt that has no input left waits here). */
  void awaitStop() throws InterruptedException {
    stop.await();
  }

  /** The prompt is ready: its console is where prompt jobs print, resumed ones first. */
  void promptReady(Console console) {
    promptJobs = new PromptJobs(master, queue, console, running.banner().joinCommand(), quiet);
    for (Job job : resumed) {
      followResumed(job, console);
    }
    resumed.clear();
  }

  /**
   * Follows a job resumed from the journal like the one typed: its options (a prompt job's {@code
   * --out} among them) come from the journal, and the results of the earlier session are written
   * first, so its {@code --out} ends with every result once.
   */
  private void followResumed(Job job, Console console) {
    JobLine line = new JobLine();
    JobKind kind;
    try {
      line.parse(SessionPrompt.words(job.spec().options()));
      kind = JobKinds.describe(job.spec().spec());
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      console
          .err()
          .println(
              "run-master: job "
                  + job.id()
                  + " runs, but its options cannot be read back ("
                  + e.getMessage()
                  + "); its results go to the journal only");
      return;
    }
    promptJobs.follow(job, kind, line.options, stop, master.restored(job.id()));
  }

  /**
   * Ctrl-C at the prompt: cancels the job running now; with none running, ends the session.
   *
   * @return false when the session ends
   */
  boolean interrupt(Console console) {
    Job now = queue.current();
    if (now != null && !now.isDone()) {
      now.cancel("cancelled at the prompt (Ctrl-C)");
      console.err().println("run-master: job " + now.id() + " cancelled; its tasks were withdrawn");
      return true;
    }
    stop();
    return false;
  }

  // ------------------------------------------------------------------ jobs from other machines

  @Override
  public Answer submit(List<String> words, Map<String, byte[]> attachments, Submitter from) {
    if (!from.teacher() && !studentJobs) {
      return new Refused(
          Reason.NEEDS_TEACHER_KEY,
          "submitting a job needs the teacher key; this connection proved only the class code");
    }
    JobLine line = new JobLine();
    try {
      line.parse(words);
      String follower = line.options.followerOption(); // checked first: --out names a file here
      if (follower != null) {
        throw new IllegalArgumentException(
            follower
                + " belongs to whoever follows the job, on their machine: give it before the job"
                + " (rmiq-submit.sh HOST:PORT "
                + follower
                + " … JOB)");
      }
      line.options.check();
      if (!from.teacher()) {
        Refused refused = studentRule(line, from.address());
        if (refused != null) {
          return refused; // before any work on the job
        }
      }
      // Outside the session's lock: compiling a 'run' file takes seconds, and others may submit.
      JobKind kind =
          JobKinds.parse(
              line.words,
              line.options.applyTo(contexts.apply(Sources.attached(attachments), master::offer)));
      return enqueue(kind, line, from);
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      return new Refused(Reason.BAD_JOB, e.getMessage());
    } catch (UncheckedIOException e) {
      return new Refused(
          Reason.CANNOT_RECORD,
          "the master's journal cannot record the job (" + e.getCause().getMessage() + ")");
    }
  }

  /** Queues a parsed job in its submitter's lane. */
  private synchronized Answer enqueue(JobKind kind, JobLine line, Submitter from) {
    if (!from.teacher()) {
      Refused refused = studentRule(line, from.address()); // again: another may have come first
      if (refused != null) {
        return refused;
      }
    }
    Job job = queue(kind, line.options, from.teacher() ? "teacher" : "student " + from.address());
    if (!from.teacher() && !queue.addStudent(job, from.address())) {
      job.cancel("this computer has a student job queued already");
      return new Refused(Reason.QUOTA, quotaMessage());
    }
    if (from.teacher()) {
      queue.addTeacher(job);
    }
    return new Accepted(job, kind.title(), queue.ahead(job));
  }

  /** Why a student may not submit this job, or null when they may. */
  private Refused studentRule(JobLine line, String address) {
    String name = line.words.isEmpty() ? "" : line.words.get(0);
    if (!STUDENT_JOBS.contains(name)) {
      return new Refused(
          Reason.NEEDS_TEACHER_KEY,
          "students may submit built-in jobs only ("
              + String.join(", ", new java.util.TreeSet<>(STUDENT_JOBS))
              + "); '"
              + name
              + "' needs the teacher key");
    }
    if (line.options.replicasOrDefault() != 1) {
      return new Refused(
          Reason.NEEDS_TEACHER_KEY, "--replicas is the teacher's to set; submit without it");
    }
    if (queue.hasStudentJob(address)) {
      return new Refused(Reason.QUOTA, quotaMessage());
    }
    return null;
  }

  private static String quotaMessage() {
    return "this computer has a student job queued or running already: one at a time; wait for"
        + " it to end (or cancel it with Ctrl-C where it was submitted)";
  }

  @Override
  public String cancel(long jobId) {
    for (Job job : master.jobs()) {
      if (job.id() == jobId) {
        if (job.isDone()) {
          return "job " + jobId + " has ended already";
        }
        job.cancel("cancelled by the teacher");
        return "job " + jobId + " cancelled; its tasks were withdrawn";
      }
    }
    return "there is no job " + jobId + " on this master";
  }

  /** Makes a queued job (the caller puts it in a lane). */
  Job queue(JobKind kind, JobOptions options, String submitter) {
    return master.queueJob(kind.toSpec(options).withSubmitter(submitter));
  }

  // ------------------------------------------------------------------ the prompt's commands

  /** A job typed at the prompt or submitted: its options and words. */
  static final class JobLine {
    final JobOptions options = new JobOptions();
    List<String> words = new ArrayList<>();

    /**
     * Reads {@code typed} into this line's options and words.
     *
     * @throws CommandLine.ParameterException naming what it could not read
     */
    JobLine parse(List<String> typed) {
      CommandSpec spec = CommandSpec.create().name("job");
      options.addTo(spec);
      spec.addPositional(CommandModel.words(() -> words, v -> words = v).arity("0..*").build());
      new CommandLine(spec).setExpandAtFiles(false).parseArgs(typed.toArray(String[]::new));
      return this;
    }
  }

  /**
   * Runs one line typed at the prompt (or read from standard input); never waits for a job.
   *
   * @return false when the session should end
   */
  boolean command(List<String> words, Console console) {
    if (words.isEmpty()) {
      return true;
    }
    PromptCommands commands = new PromptCommands(master, queue, console, running.address());
    switch (words.get(0)) {
      case "quit", "exit" -> {
        stop();
        return false;
      }
      case "help", "?" -> commands.help();
      case "jobs" -> commands.jobs();
      case "status" -> commands.status();
      case "cancel" -> commands.cancel(words);
      default -> typed(words, console);
    }
    return !isStopping();
  }

  /** A job typed at the prompt: checked, queued, and followed on a thread of its own. */
  private void typed(List<String> words, Console console) {
    JobLine line = new JobLine();
    JobKind kind;
    try {
      line.parse(words);
      line.options.check();
      if (line.words.isEmpty()) {
        throw new IllegalArgumentException("type a job (square 1..100, …), or help");
      }
      kind =
          JobKinds.parse(
              line.words, line.options.applyTo(contexts.apply(promptSources(), master::offer)));
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      console.err().println("run-master: " + e.getMessage());
      return;
    }
    Job job;
    try {
      job =
          master.queueJob(
              kind.toSpec(line.options)
                  .withOptions(line.options.typedAtPrompt())
                  .withSubmitter("prompt"));
    } catch (IllegalArgumentException e) { // too big for the master's memory now
      console.err().println("run-master: " + e.getMessage());
      return;
    } catch (UncheckedIOException e) {
      console
          .err()
          .println(
              "run-master: the journal cannot record the job (" + e.getCause().getMessage() + ")");
      return;
    }
    queue.addTeacher(job);
    int behind = queue.ahead(job);
    console
        .err()
        .println(
            "run-master: job "
                + job.id()
                + ": "
                + kind.title()
                + (behind > 0 ? " (queued behind " + behind + " job(s))" : ""));
    PromptJobs jobs = promptJobs;
    if (jobs == null) {
      jobs = new PromptJobs(master, queue, console, running.banner().joinCommand(), quiet);
      promptJobs = jobs;
    }
    jobs.follow(job, kind, line.options, stop, List.of());
  }

  /** At the prompt, inputs come from files; standard input is the prompt itself. */
  private Sources promptSources() {
    Sources local = Sources.local(InputStream.nullInputStream());
    return word -> {
      if (word.equals("-")) {
        throw new IllegalArgumentException(
            "at the prompt, give the inputs as @FILE rather than - (stdin)");
      }
      return local.read(word);
    };
  }

  /** The words a session prompt completes: its commands, the jobs, every job option. */
  static List<String> completions() {
    List<String> words = new ArrayList<>(List.of("jobs", "status", "cancel", "help", "quit"));
    words.addAll(JobKinds.NAMES);
    words.addAll(JobOptions.names());
    return words;
  }
}
