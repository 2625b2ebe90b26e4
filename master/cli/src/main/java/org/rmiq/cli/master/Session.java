package org.rmiq.cli.master;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.rmiq.cli.Signals;
import org.rmiq.internal.util.Printable;
import org.rmiq.master.Job;
import org.rmiq.master.JobIntake;
import org.rmiq.master.JobProgress;
import org.rmiq.master.Master;
import org.rmiq.master.WorkerSummary;
import picocli.CommandLine;

/**
 * A lesson-long master ({@code run-master.sh --session}): no job of its own; it stays up until
 * Ctrl-C, SIGTERM or {@code quit}, and runs the jobs typed at its prompt or submitted with {@code
 * rmiq-submit.sh} one after another (first come, first served) on the same workers, who join once.
 *
 * <p>One thread starts queued jobs in turn; a job typed at the prompt is followed there like the
 * one-shot master follows its job, and Ctrl-C while it runs cancels it (its tasks are withdrawn)
 * and returns to the prompt. A submitted job is followed by its submitter; the session prints a
 * line when it starts and ends.
 */
final class Session implements JobIntake {
  private final MasterCommand.Running running;
  private final Master master;
  private final java.io.InputStream stdin;
  private final PrintStream stdout;
  private final PrintStream stderr;
  private final BiFunction<Sources, JobContext.CodeShipper, JobContext> contexts;
  private final boolean quiet;

  /** Jobs waiting to start, in the order they came. */
  private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();

  /** The job running now, or null. */
  private final AtomicReference<Job> current = new AtomicReference<>();

  /** The prompt's job being followed now (Ctrl-C cancels it), or null. */
  private final AtomicReference<AtomicBoolean> foreground = new AtomicReference<>();

  /** Set when the session must end. */
  private final CountDownLatch stopping = new CountDownLatch(1);

  /** Set when it has ended (jobs cancelled, workers told), so SIGTERM waits for that. */
  private final CountDownLatch ended = new CountDownLatch(1);

  /**
   * Why a file could not be written (the journal refuses results from then on), or null. The
   * session then ends with exit 5 and leaves its jobs unfinished in the journal, to resume.
   */
  private final AtomicReference<String> writeFailure = new AtomicReference<>();

  Session(
      MasterCommand.Running running,
      java.io.InputStream stdin,
      PrintStream stdout,
      PrintStream stderr,
      BiFunction<Sources, JobContext.CodeShipper, JobContext> contexts,
      boolean quiet) {
    this.running = running;
    this.master = running.master();
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    this.contexts = contexts;
    this.quiet = quiet;
  }

  /**
   * Runs the session until it is told to stop; returns the exit code: 0, or 5 when a file could not
   * be written.
   */
  int run() throws InterruptedException {
    master.onWriteFailure(
        why -> {
          if (writeFailure.compareAndSet(null, why)) {
            stop();
          }
        });
    for (Job job : master.resumable()) {
      stderr.println(
          "run-master: resuming job " + job.id() + " from the journal: " + job.spec().spec());
      queue.add(job);
    }
    Thread starter = new Thread(this::startJobsInTurn, "rmiq-session-jobs");
    starter.setDaemon(true);
    starter.start();
    master.takeJobsFrom(this);
    Thread onTerm = new Thread(this::stopAndWait, "rmiq-session-stop");
    Runtime.getRuntime().addShutdownHook(onTerm);
    Signals.handle("INT", this::onCtrlC);
    SessionPrompt prompt = new SessionPrompt(this, stdin, stdout, stderr);
    try {
      Thread reader = new Thread(prompt, "rmiq-session-prompt");
      reader.setDaemon(true); // a prompt waiting for a line never holds the session up
      reader.start();
      stopping.await();
    } finally {
      prompt.close();
      master.takeJobsFrom(null);
      starter.interrupt();
      String failure = writeFailure.get();
      if (failure == null) {
        Job running = current.get();
        if (running != null) {
          running.cancel("the session stopped");
        }
        for (Job waiting; (waiting = queue.poll()) != null; ) {
          waiting.cancel("the session stopped");
        }
        master.finish();
        master.awaitWorkersTold(Duration.ofSeconds(3));
      } else {
        // Its jobs stay unfinished (not cancelled) in the journal, so the next session resumes
        // them; the workers are not told it finished, so they wait for that next session.
        stderr.println(
            "run-master: "
                + failure
                + (master.journalFile() != null
                    ? ". Nothing collected is lost: free some space and start the session again"
                        + " with the same --journal; it resumes the unfinished jobs."
                    : ". Free some space and start the session again."));
      }
      stderr.println("run-master: session ended");
      ended.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onTerm);
      } catch (IllegalStateException shuttingDown) {
        // SIGTERM: the hook waits for us
      }
    }
    return writeFailure.get() == null ? ExitCodes.OK : ExitCodes.WRITE_FAILED;
  }

  /** SIGTERM: end the session as quit does, and let it finish (bounded) before the JVM goes. */
  private void stopAndWait() {
    stop();
    try {
      ended.await(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the session (quit, Ctrl-C at the prompt, SIGTERM, end of input on a terminal). */
  void stop() {
    AtomicBoolean job = foreground.get();
    if (job != null) {
      job.set(true);
    }
    stopping.countDown();
  }

  boolean isStopping() {
    return stopping.getCount() == 0;
  }

  /** Waits until the session ends (a prompt that has no input left waits here). */
  void awaitStop() throws InterruptedException {
    stopping.await();
  }

  private void onCtrlC() {
    AtomicBoolean job = foreground.get();
    if (job != null && !job.get()) {
      job.set(true); // cancels the prompt's job; the prompt comes back
    } else {
      stop();
    }
  }

  /** Starts each queued job when the one before it has ended. */
  private void startJobsInTurn() {
    try {
      while (true) {
        Job job = queue.take();
        if (job.isDone()) {
          continue; // cancelled while it waited
        }
        current.set(job);
        job.start();
        if (!quiet) {
          stderr.println("run-master: job " + job.id() + " started: " + job.spec().spec());
        }
        while (!job.awaitDone(Duration.ofSeconds(1))) {
          if (isStopping()) {
            return;
          }
        }
        current.set(null);
        if (!quiet) {
          JobProgress p = job.progress();
          stderr.printf(
              "run-master: job %d %s: %d ok, %d failed, in %.2f s of work%n",
              job.id(),
              job.state() == Job.State.CANCELLED ? "cancelled" : "finished",
              p.succeeded(),
              p.failed(),
              p.work().toNanos() / 1e9);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the session ends
    }
  }

  // ------------------------------------------------------------------ submitted jobs

  @Override
  public synchronized Answer submit(List<String> words, Map<String, byte[]> attachments) {
    JobLine line = new JobLine();
    try {
      new CommandLine(line).setExpandAtFiles(false).parseArgs(words.toArray(String[]::new));
      line.options.check();
      JobKind kind =
          JobKinds.parse(
              line.words,
              line.options.applyTo(contexts.apply(Sources.attached(attachments), master::offer)));
      Job job = queue(kind, line.options);
      return new Accepted(job, kind.title(), queuedBehind(job));
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      return new Refused(e.getMessage(), ExitCodes.USAGE);
    } catch (UncheckedIOException e) {
      return new Refused(
          "the master's journal cannot record the job (" + e.getCause().getMessage() + ")",
          ExitCodes.WRITE_FAILED);
    }
  }

  private Job queue(JobKind kind, JobOptions options) {
    Job job =
        master.queueJob(
            kind.toSpec(
                options.maxAttemptsOrDefault(),
                options.taskTimeoutOrDefault(),
                options.replicasOrDefault()));
    queue.add(job);
    return job;
  }

  private int queuedBehind(Job job) {
    Job now = current.get();
    if (now == job) {
      return 0;
    }
    int ahead = now != null ? 1 : 0;
    for (Job waiting : queue) {
      if (waiting == job) {
        break;
      }
      ahead++;
    }
    return ahead;
  }

  // ------------------------------------------------------------------ the prompt's commands

  /** A job typed at the prompt: its options and words. */
  @CommandLine.Command(name = "job")
  static final class JobLine {
    @CommandLine.Mixin JobOptions options = new JobOptions();

    @CommandLine.Parameters(arity = "0..*")
    List<String> words = new ArrayList<>();
  }

  /**
   * Runs one line typed at the prompt (or read from standard input).
   *
   * @return false when the session should end
   */
  boolean command(List<String> words) {
    if (words.isEmpty()) {
      return true;
    }
    switch (words.get(0)) {
      case "quit", "exit" -> {
        stop();
        return false;
      }
      case "help", "?" -> help();
      case "jobs" -> jobs();
      case "status" -> status();
      case "cancel" -> cancel(words);
      default -> runTyped(words);
    }
    return !isStopping();
  }

  private void runTyped(List<String> words) {
    JobLine line = new JobLine();
    JobKind kind;
    try {
      new CommandLine(line).setExpandAtFiles(false).parseArgs(words.toArray(String[]::new));
      line.options.check();
      if (line.words.isEmpty()) {
        throw new IllegalArgumentException("type a job (square 1..100, …), or help");
      }
      Sources local = Sources.local(java.io.InputStream.nullInputStream());
      Sources noStdin =
          word -> {
            if (word.equals("-")) {
              throw new IllegalArgumentException(
                  "at the prompt, give the inputs as @FILE rather than - (stdin)");
            }
            return local.read(word);
          };
      kind =
          JobKinds.parse(line.words, line.options.applyTo(contexts.apply(noStdin, master::offer)));
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      stderr.println("run-master: " + e.getMessage());
      return;
    }
    Job job;
    try {
      job = queue(kind, line.options);
    } catch (IllegalArgumentException e) { // too big for the master's memory now
      stderr.println("run-master: " + e.getMessage());
      return;
    } catch (UncheckedIOException e) {
      stderr.println(
          "run-master: the journal cannot record the job (" + e.getCause().getMessage() + ")");
      return;
    }
    int behind = queuedBehind(job);
    stderr.println(
        "run-master: job "
            + job.id()
            + ": "
            + kind.title()
            + (behind > 0 ? " (queued behind " + behind + " job(s))" : ""));
    AtomicBoolean stop = new AtomicBoolean();
    foreground.set(stop);
    boolean terminal = stderr instanceof ProgressView.BarSafeStream;
    try {
      int code =
          new JobRunner(
                  JobFeed.local(master, job),
                  kind,
                  line.options,
                  new JobRunner.Output(
                      stdout,
                      stderr,
                      !quiet && (line.options.printResults || !terminal),
                      terminal && !quiet,
                      line.options.out,
                      running.banner().joinCommand(),
                      "run-master"),
                  stop)
              .run(List.of());
      if (writeFailure.get() != null) {
        return; // the session ends; the job stays in the journal to resume
      }
      if (code == ExitCodes.INTERRUPTED || code == ExitCodes.TIMED_OUT) {
        job.cancel(code == ExitCodes.INTERRUPTED ? "cancelled at the prompt" : "timed out");
        stderr.println("run-master: job " + job.id() + " cancelled; its tasks were withdrawn");
      }
    } catch (Exception e) {
      job.cancel("failed: " + e.getMessage());
      stderr.println("run-master: job " + job.id() + " failed: " + e.getMessage());
    } finally {
      foreground.set(null);
    }
  }

  private void help() {
    stdout.println("Type a job as on the command line, with its options, e.g.");
    stdout.println("  square 1..1000 --out squares.csv");
    stdout.println("Jobs:");
    JobKinds.USAGE.forEach(stdout::println);
    stdout.println("Job options: --out FILE, --timeout DURATION, --wait-for-workers DURATION,");
    stdout.println("  --max-attempts N, --task-timeout DURATION, --chunks N, --replicas N,");
    stdout.println("  --skip-bad-lines, --print-results");
    stdout.println("Commands:");
    stdout.println("  jobs        every job of this session, newest last");
    stdout.println("  status      the workers and what they did");
    stdout.println("  cancel N    cancel job N (its tasks are withdrawn from the workers)");
    stdout.println("  help        this text");
    stdout.println("  quit        end the session (Ctrl-C at the prompt does too)");
    stdout.println("Others submit jobs with: scripts/rmiq-submit.sh " + running.address() + " JOB");
  }

  private void jobs() {
    List<Job> all = master.jobs();
    if (all.isEmpty()) {
      stdout.println("no jobs yet");
      return;
    }
    stdout.printf(
        "%4s  %-9s %8s %8s %8s %9s  %s%n",
        "job", "state", "tasks", "ok", "failed", "work s", "spec");
    for (Job job : all) {
      JobProgress p = job.progress();
      stdout.printf(
          "%4d  %-9s %8d %8d %8d %9.2f  %s%n",
          job.id(),
          job.state().name().toLowerCase(java.util.Locale.ROOT),
          p.submitted(),
          p.succeeded(),
          p.failed(),
          p.work().toNanos() / 1e9,
          Printable.of(job.spec().spec(), 200));
    }
  }

  private void status() {
    var p = master.progress();
    stdout.printf(
        "%d worker(s) connected; %d task(s) waiting, %d running; %d done, %d failed in all%n",
        p.workersConnected(), p.pending(), p.leased(), p.succeeded(), p.failed());
    for (WorkerSummary w : master.workers()) {
      stdout.printf(
          "  %-30s %-9s %8d done %6d failed%n",
          Printable.of(w.name(), 30),
          w.connected() ? "connected" : "left",
          w.succeeded(),
          w.failed());
    }
    master.notices().forEach(n -> stdout.println("  " + Printable.of(n)));
  }

  private void cancel(List<String> words) {
    if (words.size() != 2) {
      stderr.println("run-master: cancel takes a job number, e.g. cancel 3");
      return;
    }
    long id;
    try {
      id = Long.parseLong(words.get(1));
    } catch (NumberFormatException e) {
      stderr.println("run-master: cancel takes a job number, e.g. cancel 3");
      return;
    }
    for (Job job : master.jobs()) {
      if (job.id() == id) {
        if (job.isDone()) {
          stderr.println("run-master: job " + id + " has ended already");
        } else {
          job.cancel("cancelled at the prompt");
          stderr.println("run-master: job " + id + " cancelled; its tasks were withdrawn");
        }
        return;
      }
    }
    stderr.println("run-master: there is no job " + id + " (jobs lists them)");
  }

  /** The words a session prompt completes. */
  static List<String> completions() {
    List<String> words = new ArrayList<>(List.of("jobs", "status", "cancel", "help", "quit"));
    words.addAll(JobKinds.NAMES);
    words.addAll(
        List.of(
            "--out",
            "--timeout",
            "--wait-for-workers",
            "--max-attempts",
            "--task-timeout",
            "--chunks",
            "--skip-bad-lines",
            "--print-results"));
    return words;
  }
}
