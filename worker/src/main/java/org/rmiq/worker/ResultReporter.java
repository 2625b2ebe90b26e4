package org.rmiq.worker;

import java.rmi.RemoteException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.rmiq.common.ResultBatch;
import org.rmiq.common.TakeRequest;
import org.rmiq.common.TaskResult;
import org.rmiq.common.UnknownSessionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends finished results to the master in batches from its own thread: whatever finished while
 * the previous call was in flight goes in the next call, so a lone result is sent at once and a
 * busy worker sends few, large calls. Results are kept until the master has them; while the
 * master is unreachable they wait for the worker to reconnect.
 */
final class ResultReporter {
  private static final Logger log = LoggerFactory.getLogger(ResultReporter.class);

  /** Results not yet handed to the reporter thread. */
  private final BlockingQueue<TaskResult> finished = new LinkedBlockingQueue<>();
  private final Supplier<MasterConnection.Session> session;
  private final String masterAddress;
  private final Thread thread;
  /** Results taken from the queue but not yet acknowledged by the master. */
  private volatile int inFlight;
  private volatile boolean closing;
  private volatile long giveUpAtNanos = Long.MAX_VALUE;

  ResultReporter(Supplier<MasterConnection.Session> session, String masterAddress,
      String threadName) {
    this.session = session;
    this.masterAddress = masterAddress;
    this.thread = new Thread(this::loop, threadName);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void add(TaskResult result) {
    finished.add(result);
  }

  /** Results finished but not yet acknowledged. */
  int unacknowledged() {
    return finished.size() + inFlight;
  }

  /** Delivers what is left, giving up after {@code graceMillis} if the master is unreachable. */
  void close(long graceMillis) throws InterruptedException {
    giveUpAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
    closing = true;
    thread.join(graceMillis + 1000);
  }

  private void loop() {
    try {
      while (!(closing && finished.isEmpty())) {
        TaskResult first = finished.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        List<TaskResult> batch = new ArrayList<>();
        batch.add(first);
        finished.drainTo(batch, TakeRequest.MAX_BATCH - 1);
        inFlight = batch.size();
        if (!deliver(batch)) {
          log.warn("worker: gave up delivering {} result(s) to {}; the master re-queues those"
              + " tasks when their lease expires", batch.size() + finished.size(), masterAddress);
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
