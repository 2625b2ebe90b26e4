package org.rmiq.worker;

import com.google.common.util.concurrent.AbstractExecutionThreadService;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.rmi.RemoteException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.rmiq.api.TaskHandler;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.wire.JoinRequest;
import org.rmiq.internal.wire.MasterPhase;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.internal.wire.RmiSettings;
import org.rmiq.internal.wire.TakeRequest;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskBatch;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.internal.wire.UnknownSessionException;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import org.rmiq.worker.download.DownloadHandler;
import org.rmiq.worker.download.DownloadSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: joins a master, takes tasks in batches, runs them on its threads and reports the
 * results. If the master goes away it reconnects with capped back-off and delivers what it held; a
 * refused token stops it at once.
 *
 * <pre>{@code
 * Worker worker = Worker.builder(HostPort.parse("teacher:5000"), Token.of(secret))
 *     .threads(4).exitWhenDone(true).build();
 * worker.startAsync().awaitTerminated();   // returns when the master's job is finished
 * System.out.println(worker.exit() + ": " + worker.exitMessage());
 * }</pre>
 *
 * <p>The worker command also installs rmiq's allow-list as the JVM-wide deserialization filter
 * ({@code ObjectInputFilter.Config.setSerialFilter(SerialAllowList.forWorker())}); a program using
 * this class should do the same at start-up, before any RMI call, when it joins masters it does not
 * fully trust.
 */
public final class Worker extends AbstractExecutionThreadService {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final long TAKE_WAIT_MILLIS = 1000;
  private static final long MAX_BACKOFF_MILLIS = 5000;

  /** Why a worker stopped, with the command's exit code. */
  public enum Exit {
    STOPPED(0),
    JOB_FINISHED(0),
    TOKEN_REFUSED(3),
    UNREACHABLE(4),
    REFUSED(4);

    public final int code;

    Exit(int code) {
      this.code = code;
    }
  }

  private final Builder config;
  private final TaskRunner runner;
  private final MasterConnection connection;
  private final TaskAllowance allowance;
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  /** Runs tasks of the kinds that share {@code --threads}. */
  private final ExecutorService tasks;

  /** A pool of its own for each kind that asks for one (downloads), by kind. */
  private final Map<String, ExecutorService> ownPools = new HashMap<>();

  private final ScheduledExecutorService heartbeats;

  /** Interrupts attempts that outlive the master's task timeout. */
  private final ScheduledExecutorService watchdogs;

  private final ResultReporter reporter;
  private volatile MasterConnection.Session session;
  private volatile boolean stopping;
  private volatile boolean masterFinished;
  private volatile Exit exit = Exit.STOPPED;
  private long lastLoggedDone;
  private volatile String exitMessage = "stopped on request (Ctrl-C, SIGTERM or stopAsync)";

  private Worker(Builder config) {
    this.config = config;
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder()
                .setDaemon(true)
                .setNameFormat("rmiq-worker-heartbeat-%d")
                .build());
    this.watchdogs =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder()
                .setDaemon(true)
                .setNameFormat("rmiq-worker-task-timeout-%d")
                .build());
    this.runner = new TaskRunner(config.handlers, watchdogs);
    this.connection =
        new MasterConnection(
            config.profile,
            new JoinRequest(
                MasterService.PROTOCOL, config.name, localHost(), config.threads, kinds()));
    Map<String, Integer> ownThreads = new HashMap<>();
    for (TaskHandler handler : config.handlers.values()) {
      if (handler.ownThreads() > 0) {
        ownThreads.put(handler.kind(), handler.ownThreads());
        ownPools.put(
            handler.kind(),
            Executors.newFixedThreadPool(
                handler.ownThreads(),
                new ThreadFactoryBuilder()
                    .setDaemon(true)
                    .setNameFormat("rmiq-worker-" + handler.kind() + "-%d")
                    .build()));
      }
    }
    this.allowance =
        new TaskAllowance(config.threads, ownThreads, config.prefetch, this::workerIdle);
    this.tasks =
        Executors.newFixedThreadPool(
            config.threads,
            new ThreadFactoryBuilder()
                .setDaemon(true)
                .setNameFormat("rmiq-worker-task-%d")
                .build());
    this.reporter =
        new ResultReporter(
            () -> session, () -> !allowance.idle(), connection.address(), "rmiq-worker-reporter");
  }

  public static Builder builder(HostPort master, Token token) {
    return new Builder(ClientProfile.of(master, token));
  }

  /** A worker that reaches the master as {@code profile} says (address, token, TLS). */
  public static Builder builder(ClientProfile profile) {
    return new Builder(profile);
  }

  @Override
  protected void run() throws InterruptedException {
    session = firstJoin();
    if (session == null) {
      log.warn("worker {}: {}", config.name, exitMessage);
      return;
    }
    log.info(
        "worker {}: joined master {} with {} thread(s), running {}",
        name(),
        connection.address(),
        config.threads,
        String.join(", ", kinds()));
    reporter.start();
    long period = session.reply().heartbeatMillis();
    var unusedHeartbeat =
        heartbeats.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
    var unusedProgress =
        heartbeats.scheduleAtFixedRate(this::logProgress, 10, 10, TimeUnit.SECONDS);
    try {
      takeLoop();
    } finally {
      drain();
    }
  }

  @Override
  protected void triggerShutdown() {
    stopping = true;
  }

  @Override
  protected String serviceName() {
    return "rmiq-worker";
  }

  private void takeLoop() throws InterruptedException {
    while (isRunning() && !stopping) {
      if (masterFinished && config.exitWhenDone && idle()) {
        finish(Exit.JOB_FINISHED, "the master finished its job");
        return;
      }
      int room = allowance.awaitRoom(200);
      if (room == 0) {
        continue;
      }
      TaskBatch batch;
      List<TaskResult> results = reporter.drainForTake();
      try {
        batch =
            session
                .master()
                .take(
                    new TakeRequest(
                        session.id(), results, room, results.isEmpty() ? TAKE_WAIT_MILLIS : 0));
      } catch (UnknownSessionException e) {
        if (!reconnect(e)) { // the master applied the results before refusing the session
          return;
        }
        continue;
      } catch (RemoteException e) {
        reporter.putBack(results);
        if (!reconnect(e)) {
          return;
        }
        continue;
      }
      masterFinished = batch.phase() == MasterPhase.FINISHED;
      for (Task task : batch.tasks()) {
        allowance.took(task.kind());
      }
      for (Task task : batch.tasks()) {
        ownPools.getOrDefault(task.kind(), tasks).execute(() -> runOne(task));
      }
    }
  }

  private void runOne(Task task) {
    long start = System.nanoTime();
    try {
      if (stopping) {
        return; // not started: handed back to the master when we leave
      }
      MasterConnection.Session current = session;
      TaskRunner.Attempt attempt = runner.attempt(task, current.reply().taskTimeoutMillis());
      TaskResult result = attempt.result();
      if (result.isOk() && attempt.file() != null && current.reply().collectFiles()) {
        result = sendFile(current, result, attempt.file());
      }
      (result.isOk() ? succeeded : failed).incrementAndGet();
      if (config.verbose) {
        log.info(
            "worker {}: task {} ({} {}) -> {}",
            name(),
            task.id(),
            task.kind(),
            task.input(),
            result.isOk() ? result.value() : "failed: " + result.error());
      }
      reporter.add(result);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // abandoned while stopping: the master re-queues it
    } finally {
      allowance.finished(task.kind(), System.nanoTime() - start);
    }
  }

  /**
   * Sends a task's file to the master that collects files; the result then names the file as the
   * master stored it ({@code collected}), or fails saying why the file did not arrive.
   */
  private TaskResult sendFile(
      MasterConnection.Session current, TaskResult result, java.nio.file.Path file) {
    String failure;
    boolean retryable = true;
    try {
      String stored =
          FileSender.send(
              current.master(),
              current.id(),
              result.taskId(),
              file,
              result.details().get("sha256"));
      Map<String, String> details = new HashMap<>(result.details());
      details.put("collected", stored);
      return TaskResult.ok(result.taskId(), result.value(), details, result.millis());
    } catch (IllegalArgumentException e) {
      failure = e.getMessage();
      retryable = false;
    } catch (RemoteException | UnknownSessionException e) {
      failure = MasterFailures.translate(config.profile.master(), e).getMessage();
    } catch (RuntimeException | java.io.IOException e) {
      failure = e.getMessage(); // the master could not keep it this time, or a local read
    }
    log.warn(
        "worker {}: task {}: saved {} here, but the master did not take it: {}",
        name(),
        result.taskId(),
        file.getFileName(),
        failure);
    return TaskResult.failed(
        result.taskId(),
        "downloaded as " + file.getFileName() + " but not" + " collected by the master: " + failure,
        retryable,
        result.millis());
  }

  /**
   * Joins for the first time. Nothing listening is final at once (exit 4); a master that answers
   * but drops the connection (a burst of workers joining) is retried for a while.
   *
   * @return the session, or null when the worker must stop (the exit says why)
   */
  private MasterConnection.Session firstJoin() throws InterruptedException {
    long backoff = 100;
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return connection.join();
      } catch (MasterCallException e) {
        if (e.kind() != MasterCallException.Kind.BUSY || System.nanoTime() > giveUp || stopping) {
          finish(exitFor(e.kind()), e.getMessage());
          return null;
        }
        log.debug("worker: master busy, joining again: {}", e.getMessage());
      }
      TimeUnit.MILLISECONDS.sleep(backoff + ThreadLocalRandom.current().nextLong(backoff));
      backoff = Math.min(backoff * 2, 2000);
    }
  }

  /** Re-joins after a failed call; false when the worker must stop instead. */
  private boolean reconnect(Exception cause) throws InterruptedException {
    MasterCallException failure = MasterFailures.translate(config.profile.master(), cause);
    if (isFinal(failure.kind())) {
      finish(exitFor(failure.kind()), failure.getMessage());
      return false;
    }
    if (masterFinished && config.exitWhenDone && idle()) {
      finish(Exit.JOB_FINISHED, "the master finished its job and stopped");
      return false;
    }
    if (masterFinished) {
      log.info(
          "worker {}: the master at {} finished its job and stopped; waiting for the next"
              + " master there (retrying with back-off up to {}s)",
          name(),
          connection.address(),
          MAX_BACKOFF_MILLIS / 1000);
    } else {
      log.warn(
          "worker {}: {}; reconnecting (retrying with back-off up to {}s)",
          name(),
          failure.getMessage(),
          MAX_BACKOFF_MILLIS / 1000);
    }
    long backoff = 250;
    while (isRunning() && !stopping) {
      try {
        session = connection.join();
        masterFinished = false;
        log.info("worker {}: re-joined master {}", name(), connection.address());
        return true;
      } catch (MasterCallException e) {
        if (isFinal(e.kind())) {
          finish(exitFor(e.kind()), e.getMessage());
          return false;
        }
        log.debug("worker: still cannot reach {}: {}", connection.address(), e.getMessage());
      }
      TimeUnit.MILLISECONDS.sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
    }
    return false;
  }

  private static boolean isFinal(MasterCallException.Kind kind) {
    return kind == MasterCallException.Kind.TOKEN_REFUSED
        || kind == MasterCallException.Kind.REFUSED;
  }

  private static Exit exitFor(MasterCallException.Kind kind) {
    return switch (kind) {
      case TOKEN_REFUSED -> Exit.TOKEN_REFUSED;
      case REFUSED -> Exit.REFUSED;
      default -> Exit.UNREACHABLE;
    };
  }

  private void heartbeat() {
    MasterConnection.Session current = session;
    try {
      masterFinished = current.master().heartbeat(current.id()) == MasterPhase.FINISHED;
    } catch (UnknownSessionException | RemoteException | RuntimeException e) {
      log.debug("worker: heartbeat failed: {}", e.toString()); // the take loop reconnects
    }
  }

  /** Finishes running tasks within the grace period, delivers results, and leaves the master. */
  private void drain() throws InterruptedException {
    stopping = true;
    List<ExecutorService> pools = new java.util.ArrayList<>(ownPools.values());
    pools.add(tasks);
    pools.forEach(ExecutorService::shutdown);
    long deadline = System.nanoTime() + config.grace.toNanos();
    boolean finished = true;
    for (ExecutorService pool : pools) {
      finished &=
          pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    if (!finished) {
      log.warn(
          "worker {}: tasks still running after {}; abandoning them (the master re-queues"
              + " them)",
          name(),
          config.grace);
      pools.forEach(ExecutorService::shutdownNow);
    }
    reporter.close(config.grace.toMillis());
    MoreExecutors.shutdownAndAwaitTermination(heartbeats, 1, TimeUnit.SECONDS);
    MoreExecutors.shutdownAndAwaitTermination(watchdogs, 1, TimeUnit.SECONDS);
    try {
      session.master().leave(session.id());
    } catch (RemoteException | RuntimeException e) {
      log.debug("worker: could not say goodbye to the master: {}", e.toString());
    }
    log.info(
        "worker {}: stopped: {} ({} task(s) done, {} failed)",
        name(),
        exitMessage,
        succeeded.get(),
        failed.get());
  }

  private void workerIdle() {
    reporter.workerIdle();
  }

  private boolean idle() {
    return allowance.idle() && reporter.unacknowledged() == 0;
  }

  /** Logs the counts every 10 s, but only when they changed, so an idle worker stays quiet. */
  private void logProgress() {
    long done = succeeded.get() + failed.get();
    if (done != lastLoggedDone) {
      log.info(
          "worker {}: {} task(s) done ({} in the last 10 s, {}/s), {} failed",
          name(),
          done,
          done - lastLoggedDone,
          (done - lastLoggedDone) / 10,
          failed.get());
      lastLoggedDone = done;
    }
  }

  private void finish(Exit why, String message) {
    exit = why;
    exitMessage = message;
    stopping = true;
  }

  /** The name the master knows this worker by (unique among its workers), once joined. */
  public String name() {
    MasterConnection.Session current = session;
    return current == null ? config.name : current.reply().workerName();
  }

  /** Why the worker stopped (meaningful once it has terminated). */
  public Exit exit() {
    return exit;
  }

  /** A sentence saying why the worker stopped. */
  public String exitMessage() {
    return exitMessage;
  }

  /** Tasks this worker completed successfully. */
  public long succeeded() {
    return succeeded.get();
  }

  private static String localHost() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  /** The worker's settings. */
  public static final class Builder {
    private ClientProfile profile;
    private String name = System.getProperty("user.name", "worker") + "@" + localHost();
    private int threads = Runtime.getRuntime().availableProcessors();
    private int prefetch = -1;
    private boolean exitWhenDone;
    private boolean verbose;
    private Duration grace = Duration.ofSeconds(10);
    private DownloadSettings downloads = DownloadSettings.defaults();
    private final Map<String, TaskHandler> handlers = new HashMap<>();

    private Builder(ClientProfile profile) {
      this.profile = Objects.requireNonNull(profile);
      handlers.putAll(Plugins.builtIn());
    }

    /**
     * Adds the task kinds of the plugin jars in {@code folder}.
     *
     * @throws IllegalArgumentException when the folder is missing, a handler cannot be loaded, or
     *     two handlers claim the same kind
     */
    public Builder plugins(java.nio.file.Path folder) {
      Plugins.merge(handlers, Plugins.fromFolder(folder));
      return this;
    }

    /** The name shown on the master; default {@code user@host}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Tasks run at once; default the number of CPU cores. */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 4096) {
        throw new IllegalArgumentException("--threads must be 1..4096, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Tasks held beyond those running, so the next starts at once. Default: adaptive, about {@value
     * TaskAllowance#PIPELINE_MILLIS} ms of work and at least {@code threads}.
     */
    public Builder prefetch(int prefetch) {
      this.prefetch = prefetch;
      return this;
    }

    /** Stop (with {@link Exit#JOB_FINISHED}) when the master finishes its job. */
    public Builder exitWhenDone(boolean exitWhenDone) {
      this.exitWhenDone = exitWhenDone;
      return this;
    }

    /** Log every task. */
    public Builder verbose(boolean verbose) {
      this.verbose = verbose;
      return this;
    }

    /** How long a stopping worker lets running tasks finish. Default 10 s. */
    public Builder grace(Duration grace) {
      this.grace = grace;
      return this;
    }

    /** Adds or replaces the handler for its kind. */
    public Builder handler(TaskHandler handler) {
      handlers.put(Task.checkKind(handler.kind()), handler);
      return this;
    }

    /** How long a connect and a remote call may take; default 10 s and 30 s. */
    public Builder timeouts(Duration connect, Duration response) {
      this.profile = profile.withTimeouts(connect, response);
      return this;
    }

    /** Connect without TLS, to a master started with insecure plaintext (measurements only). */
    public Builder insecurePlaintext(boolean plaintext) {
      this.profile = profile.withPlaintext(plaintext);
      return this;
    }

    /** How download tasks run: folder, concurrency, time and size limits. */
    public Builder downloads(DownloadSettings downloads) {
      this.downloads = Objects.requireNonNull(downloads);
      return this;
    }

    public Worker build() {
      RmiSettings.apply();
      handlers.putIfAbsent(DownloadHandler.KIND, new DownloadHandler(downloads));
      return new Worker(this);
    }
  }

  /** The task kinds this worker runs. */
  public List<String> kinds() {
    return runner.handlers().keySet().stream().sorted().toList();
  }
}
