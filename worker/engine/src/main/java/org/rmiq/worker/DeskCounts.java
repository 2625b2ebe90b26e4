package org.rmiq.worker;

import java.util.concurrent.atomic.AtomicLong;
import org.rmiq.internal.wire.TaskResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A worker's tasks done and failed, and its log line every 10 s while they change. */
final class DeskCounts {
  // the desk's logger: the line keeps the category it always had (log settings name it)
  private static final Logger log = LoggerFactory.getLogger(TaskDesk.class);

  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong lastLoggedDone = new AtomicLong();

  /** Counts a result; a declined task is neither done nor failed. */
  void count(TaskResult result) {
    if (!result.declined()) {
      (result.isOk() ? succeeded : failed).incrementAndGet();
    }
  }

  long succeeded() {
    return succeeded.get();
  }

  long failed() {
    return failed.get();
  }

  /** Logs the counts (called every 10 s), but only when they changed: an idle worker is quiet. */
  void log(String worker) {
    long done = succeeded.get() + failed.get();
    long before = lastLoggedDone.getAndSet(done);
    if (done != before) {
      log.info(
          "worker {}: {} task(s) done ({} in the last 10 s, {}/s), {} failed",
          worker,
          done,
          done - before,
          (done - before) / 10,
          failed.get());
    }
  }
}
