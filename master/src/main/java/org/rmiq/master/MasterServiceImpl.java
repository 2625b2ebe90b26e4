package org.rmiq.master;

import com.google.common.base.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.rmiq.internal.wire.FileChunk;
import org.rmiq.internal.wire.JoinReply;
import org.rmiq.internal.wire.JoinRequest;
import org.rmiq.internal.wire.MasterPhase;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.internal.wire.ReportReply;
import org.rmiq.internal.wire.ResultBatch;
import org.rmiq.internal.wire.StatusReport;
import org.rmiq.internal.wire.TakeRequest;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskBatch;
import org.rmiq.internal.wire.UnknownSessionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin RMI adapter around the queue and the worker directory: it holds no state of its own and
 * never blocks beyond a take's bounded wait.
 */
final class MasterServiceImpl implements MasterService {
  private static final Logger log = LoggerFactory.getLogger(MasterServiceImpl.class);

  private final TaskQueue queue;
  private final WorkerDirectory workers;
  private final Supplier<MasterPhase> phase;
  private final Duration heartbeat;
  private final Duration lease;
  private final Duration taskTimeout;
  private final Supplier<StatusReport> status;
  private final Ticker ticker;

  /** Stores the files workers send ({@code --collect}); null when the master collects none. */
  private final FileCollector files;

  MasterServiceImpl(
      TaskQueue queue,
      WorkerDirectory workers,
      Supplier<MasterPhase> phase,
      Duration heartbeat,
      Duration lease,
      Duration taskTimeout,
      Supplier<StatusReport> status,
      Ticker ticker,
      FileCollector files) {
    this.files = files;
    this.status = status;
    this.ticker = ticker;
    this.queue = queue;
    this.workers = workers;
    this.phase = phase;
    this.heartbeat = heartbeat;
    this.lease = lease;
    this.taskTimeout = taskTimeout;
  }

  @Override
  public JoinReply join(JoinRequest request) {
    if (request.protocol() != PROTOCOL) {
      throw new IllegalArgumentException(
          "this master speaks rmiq protocol "
              + PROTOCOL
              + " and the worker speaks "
              + request.protocol()
              + "; run the same rmiq version");
    }
    WorkerDirectory.WorkerInfo info =
        workers.join(request.workerName(), request.host(), request.threads(), ticker.read());
    queue.openSession(info.sessionId, info.name, java.util.Set.copyOf(request.kinds()));
    log.info(
        "master: worker {} joined from {} with {} thread(s), running {}",
        info.name,
        request.host(),
        request.threads(),
        String.join(", ", request.kinds()));
    return new JoinReply(
        info.sessionId,
        info.name,
        heartbeat.toMillis(),
        lease.toMillis(),
        taskTimeout.toMillis(),
        files != null);
  }

  @Override
  public String upload(FileChunk chunk) throws UnknownSessionException {
    workers.seen(chunk.sessionId(), ticker.read());
    if (!queue.renew(chunk.sessionId())) {
      throw new UnknownSessionException(chunk.sessionId());
    }
    if (files == null) {
      throw new IllegalArgumentException(
          "this master does not collect files (start it with" + " --collect DIR)");
    }
    if (!queue.isOpen(chunk.taskId())) {
      throw new IllegalArgumentException(
          "task "
              + chunk.taskId()
              + " is not waiting for a"
              + " result (finished already, or never submitted); its file is not needed");
    }
    try {
      return files.accept(chunk);
    } catch (java.io.IOException e) {
      log.error(
          "master: could not store the file of task {} in {}: {}",
          chunk.taskId(),
          files.folder(),
          e.getMessage());
      throw new IllegalStateException(
          "the master could not store the file of task " + chunk.taskId() + ": " + e.getMessage());
    }
  }

  @Override
  public TaskBatch take(TakeRequest request) throws UnknownSessionException {
    workers.seen(request.sessionId(), ticker.read());
    if (!request.results().isEmpty()) {
      queue.complete(request.sessionId(), workers.nameOf(request.sessionId()), request.results());
    }
    List<Task> tasks;
    try {
      tasks =
          queue.take(request.sessionId(), request.max(), Duration.ofMillis(request.waitMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TaskBatch(List.of(), phase.get());
    }
    if (tasks == null) {
      throw new UnknownSessionException(request.sessionId());
    }
    return new TaskBatch(tasks, phase.get());
  }

  @Override
  public ReportReply report(ResultBatch batch) throws UnknownSessionException {
    workers.seen(batch.sessionId(), ticker.read());
    String name = workers.nameOf(batch.sessionId());
    TaskQueue.Report report = queue.complete(batch.sessionId(), name, batch.results());
    if (!report.sessionKnown()) {
      throw new UnknownSessionException(batch.sessionId());
    }
    return new ReportReply(report.accepted(), report.duplicates(), phase.get());
  }

  @Override
  public MasterPhase heartbeat(String sessionId) throws UnknownSessionException {
    workers.seen(sessionId, ticker.read());
    if (!queue.renew(sessionId)) {
      throw new UnknownSessionException(sessionId);
    }
    return phase.get();
  }

  @Override
  public StatusReport status() {
    return status.get();
  }

  @Override
  public void leave(String sessionId) {
    queue.closeSession(sessionId);
    workers.markGone(sessionId);
    log.info("master: worker {} left", workers.nameOf(sessionId));
  }
}
