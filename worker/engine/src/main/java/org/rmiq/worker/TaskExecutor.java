package org.rmiq.worker;

import com.google.common.base.Ticker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.rmiq.api.TaskHandler;
import org.rmiq.internal.wire.SessionRequest;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.util.DaemonThreads;
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
  private final List<LaneThread> laneThreads = new CopyOnWriteArrayList<>();

  /** The pools, for {@link #withdraw} to find the work that waits in their queues. */
  private final List<ThreadPoolExecutor> pools = new ArrayList<>();

  /** The shared pool's threads. */
  private final int sharedThreads;

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
    this.sharedThreads = threads;
    int nextLane = threads; // the shared pool has lanes 0 .. threads-1
    for (TaskHandler handler : handlers.own().values()) {
      if (handler.ownThreads() > 0) {
        ownThreads.put(handler.kind(), handler.ownThreads());
        ownPools.put(handler.kind(), pool(handler.ownThreads(), handler.kind(), nextLane));
        nextLane += handler.ownThreads();
      }
    }
    this.shared = pool(threads, "task", 0);
  }

  /** The kinds with threads of their own, and how many each has. */
  Map<String, Integer> ownThreads() {
    return ownThreads;
  }

  /** A pool of {@code threads} lanes from {@code firstLane} on, listed for {@link #withdraw}. */
  private ExecutorService pool(int threads, String what, int firstLane) {
    // Threads start on the first task, so a pool a job never uses costs nothing.
    AtomicInteger made = new AtomicInteger();
    ThreadFactory lanes =
        DaemonThreads.numbered(
            "rmiq-worker-" + what + "-",
            work -> {
              // a thread that replaces a dead one takes its lane back, so lanes stay few
              int lane = firstLane + Math.floorMod(made.getAndIncrement(), threads);
              LaneThread thread = new LaneThread(work, Math.min(lane, SessionRequest.MAX_THREADS));
              laneThreads.add(thread); // a few: one per thread a pool ever made
              return thread;
            });
    // what Executors.newFixedThreadPool makes, typed so withdraw can look into its queue
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), lanes);
    pools.add(pool);
    return pool;
  }

  /**
   * A pool thread that knows its lane: which of the worker's threads it is, so the master's
   * timeline can draw each thread's tasks on one row.
   */
  private static final class LaneThread extends Thread {
    final int lane;

    /** The run of tasks it works through now; null between runs. */
    volatile Run run;

    LaneThread(Runnable work, int lane) {
      super(work);
      this.lane = lane;
    }

    static int current() {
      return Thread.currentThread() instanceof LaneThread t ? t.lane : 0;
    }
  }

  /**
   * Queues tasks the master gave session {@code forSession} of run {@code instance}, in order.
   * Consecutive tasks of a kind go to a pool thread together, {@code perHandOff(kind)} at most (and
   * never more than a half of the tasks' fair share per thread, so every thread gets some): a
   * hand-off to a pool thread (a queue's locks, waking a parked thread) cost more than a square
   * itself, while a run of slow tasks would keep tasks waiting behind one thread, so the caller
   * asks for runs only of tasks known to be short.
   */
  void execute(
      List<Task> tasks, String forSession, String instance, ToIntFunction<String> perHandOff) {
    int i = 0;
    while (i < tasks.size()) {
      String kind = tasks.get(i).kind();
      ExecutorService pool = ownPools.getOrDefault(kind, shared);
      int threadsOfPool = ownThreads.getOrDefault(kind, sharedThreads);
      int fairHalf = (tasks.size() - i + 2 * threadsOfPool - 1) / (2 * threadsOfPool);
      int most = Math.max(1, Math.min(perHandOff.applyAsInt(kind), fairHalf));
      List<Work> works = new ArrayList<>(Math.min(most, tasks.size() - i));
      while (i < tasks.size() && works.size() < most && tasks.get(i).kind().equals(kind)) {
        works.add(new Work(tasks.get(i++), forSession, instance));
      }
      Run run = new Run(works);
      try {
        pool.execute(run);
      } catch (RejectedExecutionException stopped) {
        run.cancelAll(); // stopping: the master re-queues them when we leave
      }
    }
  }

  /**
   * Tasks a pool thread runs one after another, in one hand-off. Each is still a {@link Work} of
   * its own: withdrawn alone, ended alone.
   */
  private static final class Run implements Runnable {
    private final List<Work> works;

    Run(List<Work> works) {
      this.works = works;
    }

    @Override
    public void run() {
      LaneThread thread = Thread.currentThread() instanceof LaneThread t ? t : null;
      if (thread != null) {
        thread.run = this;
      }
      try {
        for (Work work : works) {
          work.run(); // a withdrawn one returns at once
          // a withdrawal interrupts the task it ends, never the next one (the pool clears the
          // flag between its own hand-offs; here that is ours to do)
          Thread.interrupted();
        }
      } finally {
        if (thread != null) {
          thread.run = null;
        }
      }
    }

    /** Withdraws the tasks among {@code ids}, interrupting the one running if asked. */
    boolean withdraw(Set<Long> ids, boolean interrupt) {
      boolean all = true;
      for (Work work : works) {
        if (ids.contains(work.task().id())) {
          work.cancel(interrupt);
        } else {
          all &= work.isDone();
        }
      }
      return all;
    }

    void cancelAll() {
      works.forEach(work -> work.cancel(false));
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
        if (queued instanceof Run run && run.withdraw(ids, false)) {
          pool.remove(run); // nothing left in it to run
        }
      }
    }
    for (LaneThread thread : laneThreads) {
      Run run = thread.run;
      if (run != null) {
        run.withdraw(ids, true);
      }
    }
  }

  /**
   * A task on its way through a pool. Its end, however it comes, is reported exactly once ({@link
   * FutureTask#done}).
   */
  private final class Work extends FutureTask<Void> {
    private final Body body;

    Work(Task task, String forSession, String instance) {
      this(new Body(task, forSession, instance));
    }

    private Work(Body body) {
      super(body);
      this.body = body;
    }

    Task task() {
      return body.task;
    }

    @Override
    protected void done() {
      events.ended(body.task.kind(), body.started ? ticker.read() - body.startedAt : 0);
    }
  }

  /**
   * What a {@link Work} runs, and when it started: one object besides the {@link FutureTask} (a
   * lambda, the adapter that makes a {@code Runnable} a {@code Callable}, and a holder for the
   * start time were three, made on the link thread for every task).
   */
  private final class Body implements Callable<Void> {
    final Task task;
    final String forSession;
    final String instance;

    /** When it started running (ticker time), once {@link #started}. */
    long startedAt;

    /** Written after {@link #startedAt}, so a reader that sees it true sees the time too. */
    volatile boolean started;

    Body(Task task, String forSession, String instance) {
      this.task = task;
      this.forSession = forSession;
      this.instance = instance;
    }

    @Override
    public Void call() {
      startedAt = ticker.read();
      started = true;
      runOne(task, forSession, instance);
      return null;
    }
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
