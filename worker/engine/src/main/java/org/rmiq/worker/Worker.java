package org.rmiq.worker;

import com.google.common.util.concurrent.AbstractIdleService;
import java.io.ObjectInputFilter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.rmiq.api.TaskHandler;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.wire.RmiSettings;
import org.rmiq.internal.wire.SerialAllowList;
import org.rmiq.internal.wire.SessionRequest;
import org.rmiq.internal.wire.Task;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;
import org.rmiq.worker.download.DownloadHandler;
import org.rmiq.worker.download.DownloadSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: joins a master, takes tasks, runs them on its threads and reports the results. If the
 * master goes away it reconnects with capped back-off and delivers what it held; a refused token
 * stops it at once.
 *
 * <pre>{@code
 * Worker.installSerialFilter();   // once per JVM, before any call to a master
 * Worker worker = Worker.builder(HostPort.parse("teacher:5000"), Token.of(secret))
 *     .threads(4).exitWhenDone(true).build();
 * worker.startAsync().awaitTerminated();   // returns when the master's job is finished
 * System.out.println(worker.exit() + ": " + worker.exitMessage());
 * }</pre>
 *
 * <p>Workers in one JVM that join the same master share one link to it (one thread, one connection,
 * one call carrying all their results and tasks), so many workers in one JVM are cheap.
 */
public final class Worker extends AbstractIdleService {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

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

  /** The settings, copied at {@code build()}. */
  private record Config(
      ClientProfile profile,
      TaskDesk.Settings desk,
      CodeTrust trust,
      Duration grace,
      Map<String, TaskHandler> handlers) {}

  private final Config config;
  private final WorkerRuntime runtime;
  private volatile TaskDesk desk;
  private volatile ScheduledFuture<?> progress;
  private volatile Exit exit = Exit.STOPPED;
  private volatile String exitMessage = "stopped on request (Ctrl-C, SIGTERM or stopAsync)";

  private Worker(Config config, WorkerRuntime runtime) {
    this.config = config;
    this.runtime = runtime;
  }

  public static Builder builder(HostPort master, Token token) {
    return new Builder(ClientProfile.of(master, token));
  }

  /**
   * Installs rmiq's allow-list as this JVM's deserialization filter, so nothing a master (or anyone
   * posing as one before the handshake fails) sends can build objects rmiq does not expect. Call it
   * once, before the first worker starts; the worker command does.
   *
   * @throws IllegalStateException when the JVM already has a filter (JDK rule: it is set once)
   */
  public static void installSerialFilter() {
    ObjectInputFilter.Config.setSerialFilter(SerialAllowList.forWorker());
  }

  @Override
  protected void startUp() {
    desk =
        runtime.join(
            config.profile,
            config.trust,
            link ->
                new TaskDesk(
                    config.desk,
                    new Handlers(config.handlers, config.trust.accepts() ? link.shipped() : null),
                    runtime.timers(),
                    runtime.ticker(),
                    this::ended));
    TaskDesk current = desk;
    progress =
        runtime
            .timers()
            .scheduleWithFixedDelay(
                () -> {
                  try {
                    current.logProgress();
                  } catch (RuntimeException e) {
                    log.debug("worker: progress line failed: {}", e.toString());
                  }
                },
                10,
                10,
                TimeUnit.SECONDS);
  }

  @Override
  protected void shutDown() throws InterruptedException {
    ScheduledFuture<?> periodic = progress;
    if (periodic != null) {
      periodic.cancel(false);
    }
    TaskDesk current = desk;
    current.stop(config.grace);
    String line = "worker {}: stopped: {} ({} task(s) done, {} failed)";
    Object[] args = {
      current.name(), exitMessage, current.succeeded(), current.failed(),
    };
    if (exit.code == 0) {
      log.info(line, args);
    } else {
      log.warn(line, args);
    }
  }

  @Override
  protected String serviceName() {
    return "rmiq-worker";
  }

  /** The desk ended on its own (job done, token refused, gave up): the worker stops. */
  private void ended(Exit why, String message) {
    exit = why;
    exitMessage = message;
    stopAsync();
  }

  /** The name the master knows this worker by (unique among its workers), once joined. */
  public String name() {
    TaskDesk current = desk;
    return current == null ? config.desk.name() : current.name();
  }

  /** True once the worker has joined a master (it may have lost it since). */
  public boolean hasJoined() {
    TaskDesk current = desk;
    return current != null && current.everJoined();
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
    TaskDesk current = desk;
    return current == null ? 0 : current.succeeded();
  }

  /** Tasks this worker ran that failed. */
  public long failed() {
    TaskDesk current = desk;
    return current == null ? 0 : current.failed();
  }

  /** The task kinds this worker runs (shipped ones included, once they arrived). */
  public List<String> kinds() {
    TaskDesk current = desk;
    return current == null ? config.handlers.keySet().stream().sorted().toList() : current.kinds();
  }

  /** The worker's settings. */
  public static final class Builder {
    private ClientProfile profile;
    private String name = System.getProperty("user.name", "worker") + "@" + localHostName();
    private int threads = Runtime.getRuntime().availableProcessors();
    private int prefetch = -1;
    private boolean exitWhenDone;
    private boolean verbose;
    private boolean quiet;
    private CodeTrust trust = CodeTrust.NONE;
    private Duration grace = Duration.ofSeconds(10);
    private Duration giveUpAfter = Duration.ZERO;
    private DownloadSettings downloads = DownloadSettings.defaults();
    private WorkerRuntime runtime;
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
        throw new IllegalArgumentException(
            SettingNames.of(Setting.THREADS) + ": threads must be 1..4096, was " + threads);
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

    /** Log no join and progress lines (many workers in one program). */
    public Builder quiet(boolean quiet) {
      this.quiet = quiet;
      return this;
    }

    /**
     * Run code any master with the class code ships (one-file kinds, plugin jars). Off by default:
     * whoever holds the class code can run a master of their own (or sit in the middle) and run any
     * code on this machine; {@link #acceptCodeFrom} runs only the teacher's.
     */
    public Builder acceptCode(boolean acceptCode) {
      this.trust = acceptCode ? CodeTrust.ANY : CodeTrust.NONE;
      return this;
    }

    /**
     * Run only code signed by the teacher key with this fingerprint (the master prints it in the
     * join line for code), refusing any other before it is fetched, whoever offers it.
     *
     * @throws IllegalArgumentException when it is not a fingerprint
     */
    public Builder acceptCodeFrom(String fingerprint) {
      this.trust = CodeTrust.from(fingerprint);
      return this;
    }

    /** How long a stopping worker lets running tasks finish. Default 10 s. */
    public Builder grace(Duration grace) {
      this.grace = grace;
      return this;
    }

    /**
     * Stop (with {@link Exit#UNREACHABLE}) when no master answered within this time of the start;
     * default zero: wait for one as long as it takes.
     */
    public Builder waitForMaster(Duration giveUpAfter) {
      if (giveUpAfter.isNegative()) {
        throw new IllegalArgumentException(
            SettingNames.of(Setting.CONNECT_TIMEOUT) + ": the wait must not be negative");
      }
      this.giveUpAfter = giveUpAfter;
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

    /** Runs the worker in {@code runtime} instead of the JVM's (tests: a fake master). */
    Builder runtime(WorkerRuntime runtime) {
      this.runtime = runtime;
      return this;
    }

    public Worker build() {
      RmiSettings.apply();
      Map<String, TaskHandler> all = new HashMap<>(handlers);
      all.putIfAbsent(DownloadHandler.KIND, new DownloadHandler(downloads));
      SessionRequest.checkWorkerName(name);
      return new Worker(
          new Config(
              profile,
              new TaskDesk.Settings(
                  name, threads, prefetch, exitWhenDone, verbose, quiet, giveUpAfter),
              trust,
              grace,
              Map.copyOf(all)),
          runtime != null ? runtime : WorkerRuntime.shared());
    }
  }

  private static String localHostName() {
    return WorkerRuntime.shared().localHost();
  }
}
