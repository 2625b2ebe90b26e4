package org.rmiq.worker;

import java.rmi.RemoteException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.rmiq.internal.wire.ResultBatch;
import org.rmiq.internal.wire.TakeRequest;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.internal.wire.UnknownSessionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds finished results until the master has them. While the worker holds more tasks, results wait
 * (at most {@value #LINGER_MILLIS} ms) to ride along with the worker's next take; when it holds
 * none, they are sent at once from the reporter's own thread, so a lone task is answered without
 * delay and a busy worker makes one call per batch. While the master is unreachable, results wait
 * for the worker to reconnect.
 */
final class ResultReporter {
  private static final Logger log = LoggerFactory.getLogger(ResultReporter.class);

  /** Results not yet handed to the reporter thread. */
  private final BlockingQueue<TaskResult> finished = new LinkedBlockingQueue<>();

  static final long LINGER_MILLIS = 50;

  private final Supplier<MasterConnection.Session> session;

  /** True while the worker holds tasks, so a take (carrying results) will come soon. */
  private final java.util.function.BooleanSupplier busy;

  private final String masterAddress;
  private final Thread thread;

  /** Results taken from the queue but not yet acknowledged by the master. */
  private volatile int inFlight;

  private volatile boolean closing;
  private volatile long giveUpAtNanos = Long.MAX_VALUE;

  ResultReporter(
      Supplier<MasterConnection.Session> session,
      java.util.function.BooleanSupplier busy,
      String masterAddress,
      String threadName) {
    this.session = session;
    this.busy = busy;
    this.masterAddress = masterAddress;
    this.thread = new Thread(this::loop, threadName);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Wakes the reporter: results wait on it while the worker is busy. */
  private final Object wake = new Object();

  void add(TaskResult result) {
    finished.add(result);
    if (finished.size() == 1) {
      workerIdle(); // the first waiting result starts the linger clock; later ones need not
    }
  }

  /** The worker holds no more tasks: send what is waiting now. */
  void workerIdle() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Takes the waiting results to send with a take; give them back if that call fails. */
  List<TaskResult> drainForTake() {
    List<TaskResult> batch = new ArrayList<>();
    finished.drainTo(batch, TakeRequest.MAX_BATCH);
    return batch;
  }

  /** Returns results whose take call failed, to be sent again. */
  void putBack(List<TaskResult> results) {
    finished.addAll(results);
  }

  /** Results finished but not yet acknowledged. */
  int unacknowledged() {
    return finished.size() + inFlight;
  }

  /** Delivers what is left, giving up after {@code graceMillis} if the master is unreachable. */
  void close(long graceMillis) throws InterruptedException {
    giveUpAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
    closing = true;
    workerIdle();
    thread.join(graceMillis + 1000);
  }

  private void loop() {
    try {
      while (!(closing && finished.isEmpty())) {
        synchronized (wake) {
          // Sleep until a result waits; then, while the worker is busy, its next take carries
          // the results: send them here only when it is idle (a lone task is answered at
          // once) or they waited LINGER_MILLIS.
          if (!closing && finished.isEmpty()) {
            wake.wait(1000);
          }
          if (!closing && !finished.isEmpty() && busy.getAsBoolean()) {
            wake.wait(LINGER_MILLIS);
          }
        }
        List<TaskResult> batch = new ArrayList<>();
        finished.drainTo(batch, TakeRequest.MAX_BATCH);
        if (batch.isEmpty()) {
          continue;
        }
        inFlight = batch.size();
        if (!deliver(batch)) {
          log.warn(
              "worker: gave up delivering {} result(s) to {}; the master re-queues those"
                  + " tasks when their lease expires",
              batch.size() + finished.size(),
              masterAddress);
          return;
        }
        inFlight = 0;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends one batch until the master has it; false if it gave up while closing. */
  private boolean deliver(List<TaskResult> batch) throws InterruptedException {
    long backoff = 100;
    while (true) {
      MasterConnection.Session current = session.get();
      try {
        current.master().report(new ResultBatch(current.id(), batch));
        return true;
      } catch (UnknownSessionException e) {
        return true; // the master applied the results before refusing the old session
      } catch (RemoteException e) {
        if (closing && System.nanoTime() > giveUpAtNanos) {
          return false;
        }
        log.debug("worker: could not report results yet: {}", e.toString());
        TimeUnit.MILLISECONDS.sleep(backoff);
        backoff = Math.min(backoff * 2, 2000);
      }
    }
  }
}
