package org.rmiq.master;

import com.google.common.util.concurrent.AbstractIdleService;
import com.google.common.util.concurrent.MoreExecutors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.rmiq.internal.wire.RmiSettings;
import org.rmiq.internal.wire.Task;
import org.rmiq.report.StatusReport;
import org.rmiq.report.TaskOutcome;
import org.rmiq.util.Timers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master: owns jobs of tasks and serves them to workers over one authenticated, encrypted port,
 * collecting each task's outcome exactly once.
 *
 * <p>Delivery: every submitted task ends up exactly once in its job's outcomes, as a success or as
 * a failure with its error; tasks held by a worker that stops answering go back to the queue.
 *
 * <pre>{@code
 * try (Master master = Master.builder().port(5000).token(Token.of(secret)).build().start()) {
 *   master.submit("square", List.of("3", "5", "8"));
 *   for (int i = 0; i < 3; i++) {
 *     TaskOutcome r = master.poll(Duration.ofSeconds(30));   // null on timeout
 *     System.out.println(r.input() + " -> " + r.value());
 *   }
 * }
 * }</pre>
 */
public final class Master extends AbstractIdleService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Master.class);

  private final MasterConfig config;
  private final Dispatcher dispatcher;
  private final StatusTracker tracker;

  /** Outcomes of tasks added with {@link #submit(String, List)}, not yet polled. */
  private final BlockingQueue<TaskOutcome> library = new LinkedBlockingQueue<>();

  private final ScheduledExecutorService housekeeping;
  private final RemoteJobs remoteJobs = new RemoteJobs();
  private final MasterServiceImpl.JobIntakeRef intake = new MasterServiceImpl.JobIntakeRef();
  private volatile long startedNanos;
  private volatile RmiEndpoint endpoint;

  /** The journal, when the master is durable; null otherwise. */
  private volatile Journal journal;

  /** Where files workers send are stored ({@code --collect}); null when none are collected. */
  private volatile FileCollector files;

  /** Jobs an earlier run left unfinished, restored from the journal at start (queued). */
  private volatile List<Job> resumable = List.of();

  /** Outcomes an earlier run collected, by job, restored from the journal. */
  private volatile Map<Long, List<TaskOutcome>> restored = Map.of();

  /** Told when a file cannot be written (the journal: results are refused from then on). */
  private volatile Consumer<String> onWriteFailure = why -> log.error("master: {}", why);

  Master(MasterConfig config) {
    this.config = config;
    this.tracker = new StatusTracker(config.ticker());
    this.dispatcher =
        new Dispatcher(
            config.ticker(),
            config.lease(),
            config.retryBackoff(),
            new OutcomeRouter(
                () -> journal,
                config.journal(),
                why -> onWriteFailure.accept(why),
                tracker,
                this::dropUnneededCode));
    this.housekeeping = Timers.daemon("rmiq-master-housekeeping-");
  }

  public static MasterBuilder builder() {
    return new MasterBuilder();
  }

  /**
   * Sets up this JVM for serving workers: rmiq's RMI settings, and the allow-list that bounds what
   * a peer's calls may make this JVM build. Call once, before the first master starts (a master
   * applies the RMI settings itself; the JVM-wide filter is the program's to set, once).
   */
  public static void prepareJvm() {
    MasterCertificate.startEarly(); // on the other core, while the caller parses its options
    RmiSettings.apply();
    java.io.ObjectInputFilter.Config.setSerialFilter(
        org.rmiq.internal.wire.SerialAllowList.forMaster());
  }

  /**
   * Opens the port and starts serving workers.
   *
   * @throws IOException when the port cannot be opened ({@link #isPortInUse} tells whether it was
   *     taken) or the journal or collect folder cannot be used
   */
  public Master start() throws IOException {
    try {
      startAsync().awaitRunning();
      return this;
    } catch (IllegalStateException e) {
      Throwable cause = failureCause() != null ? failureCause() : e;
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("master could not start: " + cause.getMessage(), cause);
    }
  }

  @Override
  protected void startUp() throws IOException {
    try {
      openJournal();
      files = config.openCollector(journal);
      startedNanos = config.ticker().read();
      MasterServiceImpl service =
          new MasterServiceImpl(
              dispatcher,
              new MasterServiceImpl.Settings(
                  config.heartbeat(),
                  files != null,
                  config.servedHosts(),
                  intake,
                  codeFingerprint()),
              this::status,
              files,
              remoteJobs,
              why -> onWriteFailure.accept(why));
      endpoint =
          RmiEndpoint.open(
              service,
              config.port(),
              config.keys(),
              config.bindAddress(),
              config.handshakeDeadline(),
              config.ticker(),
              config.versionNote());
      long period = Math.max(10, Math.min(250, config.heartbeat().toMillis() / 2));
      var unused =
          housekeeping.scheduleWithFixedDelay(
              new Housekeeper(dispatcher, config.lease(), files, remoteJobs),
              period,
              period,
              TimeUnit.MILLISECONDS);
      log.info("master: listening on port {}", endpoint.port());
    } catch (IOException | RuntimeException e) {
      shutDown(); // a failed start closes what it opened (the service framework will not)
      throw e;
    }
  }

  /** Restores the journal's jobs: finished ones for the record, unfinished ones queued. */
  private void openJournal() throws IOException {
    if (config.journal() == null) {
      return;
    }
    journal = Journal.open(config.journal());
    JournalRestore.Restored r = JournalRestore.restore(journal, dispatcher);
    resumable = r.unfinished();
    restored = r.outcomes();
  }

  @Override
  protected void shutDown() {
    MoreExecutors.shutdownAndAwaitTermination(housekeeping, 2, TimeUnit.SECONDS);
    RmiEndpoint open = endpoint;
    if (open != null) {
      open.close();
    }
    if (files != null) {
      files.close();
    }
    if (journal != null) {
      journal.close();
    }
  }

  /** Stops serving within 10 seconds. */
  @Override
  public void close() {
    try {
      stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      log.warn("master: did not stop within 10s; exiting anyway");
    } catch (IllegalStateException failedToStart) {
      // nothing was serving
    }
  }

  /** The port workers connect to (the real one when the builder said 0). */
  public int port() {
    return Objects.requireNonNull(endpoint, "master not started").port();
  }

  // ---------------------------------------------------------------- jobs

  /**
   * Starts a job: its tasks are handed out at once (after the jobs before it, in submission order).
   * With a journal, the job and its tasks are committed before any worker can take them.
   *
   * @throws UncheckedIOException when the journal cannot record them (nothing is queued)
   */
  public Job startJob(JobSpec spec) {
    return create(spec, false, new LinkedBlockingQueue<>());
  }

  /** Queues a job that runs when {@link Job#start} is called (a session runs jobs in turn). */
  public Job queueJob(JobSpec spec) {
    return create(spec, true, new LinkedBlockingQueue<>());
  }

  private Job create(JobSpec requested, boolean queued, BlockingQueue<TaskOutcome> outcomes) {
    // A kind this master offers (not a built-in one: those always run the workers' own code) runs
    // the offered code, on workers that accept it; the job keeps that exact code to its end.
    String offered =
        requested.code() == null && !Task.BUILT_IN_KINDS.contains(requested.kind())
            ? dispatcher.code().shaOf(requested.kind())
            : null;
    JobSpec spec = offered == null ? requested : requested.withCode(offered);
    Job job = dispatcher.create(spec, queued, outcomes);
    if (spec.code() != null) {
      dispatcher.offer(dispatcher.code().use(spec.code(), job.id()));
    }
    Journal durable = journal;
    if (durable != null) {
      try {
        durable.submitted(job);
      } catch (IOException e) {
        job.cancel("the journal could not record the job: " + e.getMessage());
        throw new UncheckedIOException(e);
      }
    }
    dispatcher.release(job);
    return job;
  }

  /**
   * Queues one task per input, in order, as a job of their own; their outcomes come from {@link
   * #poll}. Returns their ids.
   */
  public List<Long> submit(String kind, List<String> inputs) {
    Job job =
        dispatcher.create(
            JobSpec.of(kind + " (" + inputs.size() + " task(s))", kind, inputs)
                .withMaxAttempts(config.maxAttempts())
                .withTaskTimeout(config.taskTimeout()),
            false,
            library);
    dispatcher.release(job);
    return LongStream.range(job.firstTaskId, job.firstTaskId + inputs.size()).boxed().toList();
  }

  /** Queues one task; returns its id. */
  public long submit(String kind, String input) {
    return submit(kind, List.of(input)).get(0);
  }

  /** The next outcome of a task added with {@link #submit}; null if none arrived in time. */
  public TaskOutcome poll(Duration timeout) throws InterruptedException {
    return library.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Every job, oldest first. */
  public List<Job> jobs() {
    return dispatcher.jobs();
  }

  /** Jobs an earlier run left unfinished, restored (queued) from the journal. */
  public List<Job> resumable() {
    return resumable;
  }

  /** Outcomes an earlier run collected for job {@code jobId} (from the journal). */
  public List<TaskOutcome> restored(long jobId) {
    return restored.getOrDefault(jobId, List.of());
  }

  /** Lets other machines submit jobs (a session master); null to refuse them again. */
  public void takeJobsFrom(JobIntake jobIntake) {
    intake.intake = jobIntake;
  }

  /**
   * Offers a jar of task handlers to workers that accept code, for the jobs that name its SHA-256
   * (returned); it is dropped when they have all ended. Signed with the teacher key, if the master
   * has one.
   *
   * @throws IllegalArgumentException when a kind is built in, or another jar's kind still in use
   */
  public String offer(String name, byte[] jar, List<String> kinds) {
    return offer(name, jar, kinds, false);
  }

  /** Offers a jar for good (a plugin the master starts with); see {@link #offer}. */
  public String offerForGood(String name, byte[] jar, List<String> kinds) {
    return offer(name, jar, kinds, true);
  }

  private synchronized String offer(
      String name, byte[] jar, List<String> kinds, boolean permanent) {
    CodeStore store =
        dispatcher.code().with(name, jar, kinds, config.teacherKey(), permanent, this::isLive);
    dispatcher.offer(store);
    return store.shaOf(kinds.get(0));
  }

  /** Whether job {@code id} is queued or running. */
  private boolean isLive(long id) {
    for (Job job : dispatcher.jobs()) {
      if (job.id() == id) {
        return !job.isDone();
      }
    }
    return false;
  }

  /** The fingerprint of the teacher key that signs shipped code, or null when it has none. */
  public String codeFingerprint() {
    return config.codeFingerprint();
  }

  // ---------------------------------------------------------------- watching

  /** Counts at this moment, all jobs together. */
  public Progress progress() {
    DispatcherSnapshot.Stats s = dispatcher.stats();
    return new Progress(
        s.submitted(),
        s.succeeded(),
        s.failed(),
        s.cancelled(),
        s.pending(),
        s.leased(),
        s.duplicates(),
        s.forged(),
        s.sessions(),
        endpoint == null ? 0 : endpoint.failedHandshakes(),
        s.expiredLinks());
  }

  /** What the master wants a teacher to know now (e.g. tasks of a kind no worker runs). */
  public List<String> notices() {
    return Notices.all(dispatcher.snapshot());
  }

  /** What a job cannot do now and why, in the master's wording. */
  public List<String> notices(Job job) {
    return Notices.forJob(dispatcher.snapshot(), job);
  }

  /**
   * While {@code job} is queued, the job it waits for and how far that one is, e.g. {@code job 7
   * (sleep 1000x240, 60 % done)}; else empty.
   */
  public String waitingBehind(Job job) {
    return Notices.waitingBehind(dispatcher.snapshot(), job);
  }

  /** Every worker that joined, connected ones first. */
  public List<WorkerSummary> workers() {
    return dispatcher.snapshot().workers();
  }

  /** A job's tasks per worker, the most first. */
  public Map<String, Long> shares(Job job) {
    DispatcherSnapshot.JobView view = dispatcher.snapshot().of(job);
    return view == null ? Map.of() : view.shares();
  }

  /** The picture the status page, {@code /api/status} and the status command show. */
  public StatusReport status() {
    return StatusBuilder.build(
        dispatcher.snapshot(), tracker, endpoint, startedNanos, config.ticker());
  }

  /** Tells workers the master is finishing; those started with exit-when-done leave. */
  public void finish() {
    dispatcher.finish();
  }

  /**
   * Waits up to {@code timeout} until every connected worker has heard that the master finished (or
   * left); true if they all did.
   */
  public boolean awaitWorkersTold(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!dispatcher.linksHeardFinished()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(20); // polls a flag set by worker calls; no event to wait on
    }
    return true;
  }

  /**
   * Called when the master cannot write a file, with a sentence naming the file and the cause: the
   * journal (results are refused from then on; nothing collected is lost) or a collected file.
   */
  public void onWriteFailure(Consumer<String> listener) {
    this.onWriteFailure = Objects.requireNonNull(listener);
  }

  /** The journal file, or null. */
  public Path journalFile() {
    return config.journal();
  }

  /** The folder collected files go to, or null. */
  public Path collectFolder() {
    FileCollector f = files;
    return f == null ? null : f.folder();
  }

  /** True when {@code e} from {@link #start} means the port was already taken. */
  public static boolean isPortInUse(Throwable e) {
    return RmiEndpoint.isPortInUse(e);
  }

  /**
   * The jobs an existing journal file records (their specs and states), read without starting a
   * master; empty for a new file.
   */
  public static List<JournaledJob> journaledJobs(Path file) throws IOException {
    try (Journal j = Journal.open(file)) {
      return j.load().stream()
          .map(
              s ->
                  new JournaledJob(
                      s.id(),
                      s.spec().spec(),
                      s.state(),
                      s.pending().size(),
                      s.collected().stream().filter(o -> !o.ok()).count()))
          .toList();
    }
  }

  /**
   * A job in a journal.
   *
   * @param id its number
   * @param spec the job as typed
   * @param state {@code queued}, {@code running}, {@code finished} or {@code cancelled}
   * @param pending its tasks still to do
   * @param failed its tasks collected as failed
   */
  public record JournaledJob(long id, String spec, String state, long pending, long failed) {}

  /** Puts a journaled job's failed tasks back to pending (attempts reset); returns how many. */
  public static int requeueFailed(Path file, long jobId) throws IOException {
    try (Journal j = Journal.open(file)) {
      return j.requeueFailed(jobId);
    }
  }

  /** Drops shipped code that no live job needs any more (a job ended). */
  private synchronized void dropUnneededCode() {
    CodeStore code = dispatcher.code();
    CodeStore left = code.withoutEnded(this::isLive);
    if (left != code) {
      dispatcher.offer(left);
    }
  }
}
