package org.rmiq.worker;

import com.google.common.base.Ticker;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rmiq.api.TaskHandler;
import org.rmiq.internal.wire.SessionRequest;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.util.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a desk's tasks on its threads: a shared pool of the worker's {@code --threads}, and a pool
 * of its own for each kind that asks for one. It tells its desk what happens through {@link Events}
 * and knows nothing of the master: the desk turns results into the outbox and room into asks.
 */
final class TaskExecutor {
  private static final Logger log = LoggerFactory.getLogger(TaskExecutor.class);

  /** What a desk hears from its tasks. */
  interface Events {
    /** Whether a task may still start (false once the worker stops). */
    boolean mayStart();

    /** A task produced a result for {@code sessionId} of master run {@code instance}. */
    void result(String sessionId, String instance, TaskResult result);

    /**
     * A task left its pool, however it ended (done, failed, withdrawn, refused by a stopping pool),
     * after running {@code nanos} (0 when it never ran). Called exactly once per task.
     */
    void ended(String kind, long nanos);

    /** Whether the master collects the files tasks save. */
    boolean collectsFiles();

    /** Sends a task's file to the master; returns the name it stored it under. */
    String sendFile(String sessionId, long taskId, Path file, String sha256) throws Exception;

    /** The worker's name, for its log lines. */
    String name();
  }

  private final TaskRunner runner;
  private final Ticker ticker;
  private final boolean verbose;
  private final Events events;
  private final ExecutorService shared;
  private final Map<String, ExecutorService> ownPools = new HashMap<>();
  private final Map<String, Integer> ownThreads = new HashMap<>();

  /**
   * Every pool thread made so far, for {@link #withdraw} to find the work it runs: as many as the
   * pools' sizes, since a fixed pool keeps its threads and a {@link FutureTask} lets nothing kill
   * one. A task costs no entry in a shared map this way (a map put and remove per task was a fifth
   * of a worker's link thread in a million-square job).
   */
  private final List<LaneThread> threads = new CopyOnWriteArrayList<>();

  /** The pools, for {@link #withdraw} to find the work that waits in their queues. */
  private final List<ThreadPoolExecutor> pools = new ArrayList<>();

  TaskExecutor(
      int threads,
      Handlers handlers,
      ScheduledExecutorService timers,
      Ticker ticker,
      boolean verbose,
      Events events) {
    this.runner = new TaskRunner(handlers, timers);
    this.ticker = ticker;
    this.verbose = verbose;
    this.events = events;
    int nextLane = threads; // the shared pool has lanes 0 .. threads-1
    for (TaskHandler handler : handlers.own().values()) {
      if (handler.ownThreads() > 0) {
        ownThreads.put(handler.kind(), handler.ownThreads());
        ownPools.put(handler.kind(), pool(handler.ownThreads(), handler.kind(), nextLane));
        pools.add((ThreadPoolExecutor) ownPools.get(handler.kind()));
        nextLane += handler.ownThreads();
      }
    }
    this.shared = pool(threads, "task", 0);
    pools.add((ThreadPoolExecutor) shared);
  }

  /** The kinds with threads of their own, and how many each has. */
  Map<String, Integer> ownThreads() {
    return ownThreads;
  }

  private ExecutorService pool(int threads, String what, int firstLane) {
    // Threads start on the first task, so a pool a job never uses costs nothing.
    AtomicInteger made = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        new ThreadFactoryBuilder()
            .setDaemon(true)
            .setNameFormat("rmiq-worker-" + what + "-%d")
            .setThreadFactory(
                work -> {
                  // a thread that replaces a dead one takes its lane back, so lanes stay few
                  int lane = firstLane + Math.floorMod(made.getAndIncrement(), threads);
                  LaneThread thread =
                      new LaneThread(work, Math.min(lane, SessionRequest.MAX_THREADS));
                  this.threads.add(thread); // a few: one per thread a pool ever made
                  return thread;
                })
            .build());
  }

  /**
   * A pool thread that knows its lane: which of the worker's threads it is, so the master's
   * timeline can draw each thread's tasks on one row.
   */
  private static final class LaneThread extends Thread {
    final int lane;

    /** The work it runs now; null between tasks. */
    volatile Work work;

    LaneThread(Runnable work, int lane) {
      super(work);
      this.lane = lane;
    }

    static int current() {
      return Thread.currentThread() instanceof LaneThread t ? t.lane : 0;
    }
  }

  /** Queues a task the master gave session {@code forSession} of run {@code instance}. */
  void execute(Task task, String forSession, String instance) {
    ExecutorService pool = ownPools.getOrDefault(task.kind(), shared);
    Work work = new Work(task, forSession, instance);
    try {
      pool.execute(work);
    } catch (RejectedExecutionException stopped) {
      work.cancel(false); // stopping: the master re-queues it when we leave
    }
  }

  /**
   * Drops tasks the master withdrew (their job was cancelled): waiting ones leave their queue,
   * running ones are interrupted. Rare (a cancelled job), so it looks through the queues and the
   * threads rather than keeping an index of every task. A task taken from its queue in the very
   * moment of the look may run on; its result is then one the master no longer wants, and drops.
   */
  void withdraw(List<Long> taskIds) {
    Set<Long> ids = new HashSet<>(taskIds);
    for (ThreadPoolExecutor pool : pools) {
      for (Runnable queued : pool.getQueue().toArray(new Runnable[0])) {
        if (queued instanceof Work work && ids.contains(work.task.id()) && work.cancel(false)) {
          pool.remove(work);
        }
      }
    }
    for (LaneThread thread : threads) {
      Work work = thread.work;
      if (work != null && ids.contains(work.task.id())) {
        work.cancel(true);
      }
    }
  }

  /**
   * A task on its way through a pool. Its end, however it comes, is reported exactly once ({@link
   * FutureTask#done}).
   */
  private final class Work extends FutureTask<Void> {
    private final Task task;
    private final Timing timing;

    Work(Task task, String forSession, String instance) {
      this(task, new Timing(), forSession, instance);
    }

    private Work(Task task, Timing timing, String forSession, String instance) {
      super(
          () -> {
            timing.startedAt = ticker.read();
            runOne(task, forSession, instance);
          },
          null);
      this.task = task;
      this.timing = timing;
    }

    @Override
    public void run() {
      LaneThread thread = Thread.currentThread() instanceof LaneThread t ? t : null;
      if (thread != null) {
        thread.work = this;
      }
      try {
        super.run();
      } finally {
        if (thread != null) {
          thread.work = null;
        }
      }
    }

    @Override
    protected void done() {
      long started = timing.startedAt;
      events.ended(task.kind(), started == Long.MIN_VALUE ? 0 : ticker.read() - started);
    }
  }

  /** When a task started running (ticker time); MIN_VALUE before. */
  private static final class Timing {
    volatile long startedAt = Long.MIN_VALUE;
  }

  private void runOne(Task task, String forSession, String instance) {
    try {
      if (!events.mayStart()) {
        return; // not started: the master re-queues it when we leave
      }
      TaskRunner.Attempt attempt = runner.attempt(task, task.timeoutMillis());
      TaskResult result = attempt.result().onLane(LaneThread.current());
      if (result.isOk() && attempt.file() != null && events.collectsFiles()) {
        result = sendFile(forSession, task, result, attempt.file());
      }
      if (verbose) {
        log.info(
            "worker {}: task {} ({} {}) -> {}",
            events.name(),
            task.id(),
            task.kind(),
            Printable.of(task.input()),
            Printable.of(result.isOk() ? result.value() : "failed: " + result.error()));
      }
      events.result(forSession, instance, result);
    } catch (InterruptedException e) {
      // withdrawn, or abandoned while stopping: no result, the master re-queues or dropped it
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Sends a task's file to the master that collects files; the result then names the file as the
   * master stored it ({@code collected}), or fails saying why the file did not arrive.
   */
  private TaskResult sendFile(String forSession, Task task, TaskResult result, Path file) {
    String failure;
    boolean retryable = true;
    try {
      String stored = events.sendFile(forSession, task.id(), file, result.details().get("sha256"));
      Map<String, String> details = new HashMap<>(result.details());
      details.put("collected", stored);
      return TaskResult.ok(result.taskId(), result.value(), details, result.millis())
          .onLane(result.lane());
    } catch (FileSender.Refused e) {
      failure = e.getMessage();
      retryable = !e.permanent;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "the worker stopped while sending it";
    } catch (Exception e) {
      failure = e.getMessage(); // the link failed, or a local read
    }
    log.warn(
        "worker {}: task {}: saved {} here, but the master did not take it: {}",
        events.name(),
        task.id(),
        file.getFileName(),
        failure);
    return TaskResult.failed(
            result.taskId(),
            "downloaded as " + file.getFileName() + " but not collected by the master: " + failure,
            retryable,
            result.millis())
        .onLane(result.lane());
  }

  /** Frees pools that never ran. */
  void discard() {
    ownPools.values().forEach(ExecutorService::shutdown);
    shared.shutdown();
  }

  /**
   * Takes no new task and waits for running ones until {@code deadline} (ticker time); then
   * abandons the rest (the master re-queues them). True when every task finished in time.
   */
  boolean stop(long deadline, Duration grace) throws InterruptedException {
    List<ExecutorService> pools = new ArrayList<>(ownPools.values());
    pools.add(shared);
    pools.forEach(ExecutorService::shutdown);
    boolean finished = true;
    for (ExecutorService pool : pools) {
      finished &=
          pool.awaitTermination(Math.max(0, deadline - ticker.read()), TimeUnit.NANOSECONDS);
    }
    if (!finished) {
      log.warn(
          "worker {}: tasks still running after {}; abandoning them (the master re-queues them)",
          events.name(),
          grace);
      pools.forEach(ExecutorService::shutdownNow);
    }
    return finished;
  }
}
