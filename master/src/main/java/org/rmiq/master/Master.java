package org.rmiq.master;

import com.google.common.base.Ticker;
import com.google.common.util.concurrent.AbstractIdleService;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.transport.MasterKeys;
import org.rmiq.internal.wire.MasterPhase;
import org.rmiq.internal.wire.StatusReport;
import org.rmiq.internal.wire.Task;
import org.rmiq.net.Token;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master: owns a task queue and a result queue and serves them to workers over one authenticated
 * RMI port.
 *
 * <p>Delivery: every submitted task ends up exactly once in the results, as a success or as a
 * failure with its error; tasks held by a worker that stops answering go back to the queue.
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

  private final Builder config;

  /** Collected outcomes not yet polled, in the order they were decided. */
  private final BlockingQueue<TaskOutcome> results = new LinkedBlockingQueue<>();

  private final WorkerDirectory workers = new WorkerDirectory();
  private final StatusTracker tracker;
  private volatile long startedNanos;
  private final TaskQueue queue;
  private final ScheduledExecutorService reaper;
  private volatile MasterPhase phase = MasterPhase.RUNNING;
  private volatile RmiEndpoint endpoint;

  /** The journal, when the master is durable; null otherwise. */
  private volatile Journal journal;

  /** Where files workers send are stored ({@code --collect}); null when none are collected. */
  private volatile FileCollector files;

  /** Outcomes an earlier run collected, restored from the journal at start. */
  private volatile List<TaskOutcome> restored = List.of();

  private Master(Builder config) {
    this.config = config;
    this.tracker = new StatusTracker(config.ticker);
    this.queue =
        new TaskQueue(
            config.ticker, config.lease, config.maxAttempts, config.retryBackoff, this::collected);
    this.reaper =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder()
                .setDaemon(true)
                .setNameFormat("rmiq-master-lease-reaper-%d")
                .build());
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens the port and starts serving workers.
   *
   * @throws IOException when the port cannot be opened; {@link #isPortInUse} tells whether it was
   *     taken
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
    if (config.journal != null) {
      journal = Journal.open(config.journal);
      Journal.Contents contents = journal.load();
      queue.restoreCollected(contents.collected());
      queue.enqueue(contents.pending());
      restored = List.copyOf(contents.collected());
      log.info(
          "master: journal {}: {} result(s) already collected, {} task(s) to do",
          config.journal,
          contents.collected().size(),
          contents.pending().size());
    }
    if (config.collectFolder != null) {
      files = FileCollector.open(config.collectFolder, config.collectMaxBytes, config.ticker);
    }
    startedNanos = config.ticker.read();
    MasterServiceImpl service =
        new MasterServiceImpl(
            queue,
            workers,
            () -> phase,
            config.heartbeat,
            config.lease,
            config.taskTimeout,
            this::status,
            config.ticker,
            files);
    endpoint =
        RmiEndpoint.open(
            service,
            config.port,
            config.insecurePlaintext
                ? MasterKeys.plaintext(config.token.chars())
                : MasterCertificate.keysFor(config.token),
            config.bindAddress,
            config.handshakeDeadline,
            config.ticker);
    long period = Math.max(10, config.heartbeat.toMillis() / 2);
    var unused =
        reaper.scheduleWithFixedDelay(this::expireLeases, period, period, TimeUnit.MILLISECONDS);
    log.info("master: listening on port {}", endpoint.port());
  }

  @Override
  protected void shutDown() {
    MoreExecutors.shutdownAndAwaitTermination(reaper, 2, TimeUnit.SECONDS);
    RmiEndpoint open = endpoint;
    if (open != null) {
      open.close();
    }
    if (journal != null) {
      journal.close();
    }
    if (files != null) {
      files.close();
    }
  }

  /** Stops serving within 10 seconds. */
  @Override
  public void close() {
    try {
      stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      log.warn("master: did not stop within 10s; exiting anyway");
    }
  }

  /** The port workers connect to (the real one when the builder said 0). */
  public int port() {
    return Objects.requireNonNull(endpoint, "master not started").port();
  }

  /**
   * Queues one task per input, in order; returns their ids. With a journal, the tasks are committed
   * to it before any worker can take them.
   *
   * @throws UncheckedIOException when the journal cannot record them (nothing is queued)
   */
  public List<Long> submit(String kind, List<String> inputs) {
    return submit(null, kind, inputs);
  }

  /**
   * Like {@link #submit(String, List)}, and records in the journal (in the same transaction) that
   * these tasks make up the job {@code jobSpec}, so a restart can resume it.
   */
  public List<Long> submitJob(String jobSpec, String kind, List<String> inputs) {
    return submit(Objects.requireNonNull(jobSpec), kind, inputs);
  }

  private List<Long> submit(String jobSpec, String kind, List<String> inputs) {
    List<Task> tasks = queue.prepare(kind, inputs);
    if (journal != null) {
      try {
        journal.submitted(jobSpec, tasks);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    queue.enqueue(tasks);
    return tasks.stream().map(Task::id).toList();
  }

  /** Outcomes collected by an earlier run with the same journal (empty without one). */
  public List<TaskOutcome> restored() {
    return restored;
  }

  /**
   * The job an existing journal file records (e.g. {@code "square 1..100"}), read without starting
   * a master; empty for a new file.
   */
  public static Optional<String> journaledJob(Path file) throws IOException {
    try (Journal j = Journal.open(file)) {
      return j.job();
    }
  }

  /** Puts a journal's failed tasks back to pending (attempts reset); returns how many. */
  public static int requeueFailed(Path file) throws IOException {
    try (Journal j = Journal.open(file)) {
      return j.requeueFailed();
    }
  }

  /** Queues one task; returns its id. */
  public long submit(String kind, String input) {
    return submit(kind, List.of(input)).get(0);
  }

  /** The next collected outcome, waiting up to {@code timeout}; null if none arrived in time. */
  public TaskOutcome poll(Duration timeout) throws InterruptedException {
    return results.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Counts at this moment. */
  public Progress progress() {
    TaskQueue.Stats s = queue.stats();
    return new Progress(
        s.submitted(),
        s.succeeded(),
        s.failed(),
        s.pending(),
        s.leased(),
        s.duplicates(),
        s.sessions(),
        endpoint == null ? 0 : endpoint.failedHandshakes(),
        s.expiredSessions());
  }

  /** The picture the status page, {@code /api/status} and the status command show. */
  public StatusReport status() {
    TaskQueue.Stats s = queue.stats();
    long now = config.ticker.read();
    List<StatusReport.WorkerStatus> list =
        workers.summaries().stream()
            .map(
                w ->
                    new StatusReport.WorkerStatus(
                        w.name(),
                        w.host(),
                        w.connected(),
                        w.threads(),
                        w.succeeded(),
                        w.failed(),
                        tracker.rate(w.name()),
                        w.meanMillis(),
                        TimeUnit.NANOSECONDS.toMillis(now - w.lastSeenNanos())))
            .toList();
    return new StatusReport(
        phase,
        TimeUnit.NANOSECONDS.toMillis(now - startedNanos),
        s.submitted(),
        s.pending(),
        s.leased(),
        s.succeeded(),
        s.failed(),
        s.duplicates(),
        endpoint == null ? 0 : endpoint.failedHandshakes(),
        endpoint == null ? 0 : endpoint.listener().busyRefusals(),
        endpoint == null
            ? List.of()
            : endpoint.listener().blocked().stream()
                .map(
                    b ->
                        new StatusReport.BlockedPeer(b.peer(), b.failures(), b.millisLeft() / 1000))
                .toList(),
        tracker.rate(),
        tracker.history(),
        list,
        tracker.recent(),
        tracker.failures());
  }

  /**
   * Kinds with waiting tasks that no connected worker runs (with how many wait), so a job that
   * cannot progress says why instead of hanging; empty while no worker is connected.
   */
  public Map<String, Integer> unservedKinds() {
    return queue.unservedKinds();
  }

  /** The task kinds the connected workers run, together. */
  public java.util.Set<String> servedKinds() {
    return queue.servedKinds();
  }

  /** Every worker that joined, with what it did. */
  public List<WorkerSummary> workers() {
    return workers.summaries();
  }

  /** Tells workers the job is complete; those started with exit-when-done leave. */
  public void finish() {
    phase = MasterPhase.FINISHED;
  }

  /** Waits up to {@code timeout} for every worker to leave; true if they all did. */
  public boolean awaitWorkersGone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (queue.stats().sessions() > 0) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(20); // polls a counter; no event to wait on across RMI
    }
    return true;
  }

  private void collected(List<TaskOutcome> outcomes) {
    Journal durable = journal;
    if (durable != null) {
      try {
        durable.collected(outcomes); // before the worker's report is acknowledged
      } catch (IOException e) {
        log.error("master: {}; these results are kept in memory only", e.getMessage(), e);
      }
    }
    workers.record(outcomes);
    tracker.record(outcomes);
    results.addAll(outcomes);
  }

  private void expireLeases() {
    try {
      for (String worker : queue.expireSessions()) {
        log.warn(
            "master: worker {} stopped answering for over {}; its tasks are re-queued",
            worker,
            org.rmiq.internal.util.Durations.format(config.lease));
        workers.markGoneByName(worker);
      }
      FileCollector collector = files;
      if (collector != null) {
        collector.dropIdle(config.lease.toNanos() * 2);
      }
    } catch (RuntimeException e) {
      log.error("master: lease reaper failed; will retry", e);
    }
  }

  /** True when {@code e} from {@link #start} means the port was already taken. */
  public static boolean isPortInUse(Throwable e) {
    return RmiEndpoint.isPortInUse(e);
  }

  /** The master's settings; {@link #token} is required. */
  public static final class Builder {
    private int port = 5000;
    private Token token;
    private InetAddress bindAddress;
    private Duration lease = Duration.ofSeconds(10);
    private Duration heartbeat = Duration.ofSeconds(1);
    private Duration handshakeDeadline = ClientProfile.DEFAULT_HANDSHAKE_DEADLINE;
    private int maxAttempts = 3;
    private Duration retryBackoff = Duration.ofMillis(500);
    private Duration taskTimeout = Duration.ZERO;
    private Ticker ticker = Ticker.systemTicker();
    private Path journal;
    private boolean insecurePlaintext;
    private Path collectFolder;
    private long collectMaxBytes = 100L << 20;

    private Builder() {}

    /**
     * Leave connections unencrypted after the handshake (for measurements only; the default is TLS
     * 1.3 with a certificate made at start and bound to the token by the PAKE).
     */
    public Builder insecurePlaintext(boolean insecurePlaintext) {
      this.insecurePlaintext = insecurePlaintext;
      return this;
    }

    /** Record the job in this SQLite file and resume from it after a restart. Default none. */
    /**
     * Collect the files tasks produce (downloads) in {@code folder}, created if missing; files over
     * {@code maxBytes} are refused. Default: collect none.
     */
    public Builder collect(Path folder, long maxBytes) {
      if (maxBytes < 1) {
        throw new IllegalArgumentException("--collect-max-bytes must be at least 1 byte");
      }
      this.collectFolder = folder;
      this.collectMaxBytes = maxBytes;
      return this;
    }

    public Builder journal(Path journal) {
      this.journal = journal;
      return this;
    }

    /** The port for the registry and the service; 0 picks a free one. Default 5000. */
    public Builder port(int port) {
      this.port = org.rmiq.net.HostPort.checkPort(port, "--port");
      return this;
    }

    public Builder token(Token token) {
      this.token = Objects.requireNonNull(token);
      return this;
    }

    /** Listen only on this address; default every interface. */
    public Builder bindAddress(InetAddress bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    /** How long a worker may be silent before its tasks are re-queued. Default 10 s. */
    public Builder lease(Duration lease) {
      this.lease = lease;
      return this;
    }

    /** How often workers renew their leases. Default 1 s; must be under half the lease. */
    public Builder heartbeat(Duration heartbeat) {
      this.heartbeat = heartbeat;
      return this;
    }

    /** How many times a task is handed out before a retryable failure is final. Default 3. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The wait before a failed task's first retry; it doubles with each attempt. Default 0.5 s. */
    public Builder retryBackoff(Duration retryBackoff) {
      this.retryBackoff = retryBackoff;
      return this;
    }

    /** How long one attempt may run before the worker interrupts it; zero (default) = no limit. */
    public Builder taskTimeout(Duration taskTimeout) {
      this.taskTimeout = taskTimeout;
      return this;
    }

    /** How long a connecting peer may take to prove it knows the token. Default 5 s. */
    public Builder handshakeDeadline(Duration deadline) {
      this.handshakeDeadline = deadline;
      return this;
    }

    Builder ticker(Ticker ticker) {
      this.ticker = ticker;
      return this;
    }

    public Master build() {
      if (token == null) {
        throw new IllegalStateException("a master needs a token: call token(...)");
      }
      if (heartbeat.multipliedBy(2).compareTo(lease) > 0) {
        throw new IllegalArgumentException(
            "the heartbeat ("
                + heartbeat
                + ") must be at most"
                + " half the lease ("
                + lease
                + ")");
      }
      return new Master(this);
    }
  }
}
