package org.rmiq.master;

import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rmiq.util.Durations;
import org.rmiq.util.OutOfMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's periodic work: dropping silent workers, handing overdue tasks to others, deleting
 * unfinished uploads of vanished workers, cancelling remote jobs nobody follows. It survives
 * anything a round throws (a scheduled task that throws is never run again), and reports silent
 * workers in one rate-limited line instead of one per worker.
 */
final class Housekeeper implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);

  private final Dispatcher dispatcher;
  private final Duration lease;
  private final FileCollector files;
  private final RemoteJobs remoteJobs;
  private final RateLimiter reports = RateLimiter.create(0.5);

  /** Workers dropped since the last report, with how often. */
  private final Map<String, Integer> unreported = new LinkedHashMap<>();

  Housekeeper(Dispatcher dispatcher, Duration lease, FileCollector files, RemoteJobs remoteJobs) {
    this.dispatcher = dispatcher;
    this.lease = lease;
    this.files = files;
    this.remoteJobs = remoteJobs;
  }

  @Override
  public void run() {
    try {
      Dispatcher.Swept swept = dispatcher.sweep();
      report(swept.expiredWorkers());
      if (swept.overdue() > 0) {
        log.info(
            "master: {} task(s) ran past their task timeout; handed to other workers (or failed"
                + " after their last attempt)",
            swept.overdue());
      }
      if (files != null) {
        files.dropIdle(lease.toNanos() * 2);
      }
      remoteJobs.sweep();
    } catch (OutOfMemoryError e) {
      OutOfMemory.report("the master's housekeeping", e);
    } catch (Throwable t) { // a periodic job that throws would never run again
      log.error("master: housekeeping failed; it runs again shortly", t);
    }
  }

  private void report(List<String> expired) {
    expired.forEach(name -> unreported.merge(name, 1, Integer::sum));
    if (unreported.isEmpty() || !reports.tryAcquire()) {
      return;
    }
    int total = unreported.values().stream().mapToInt(Integer::intValue).sum();
    List<String> names = unreported.keySet().stream().limit(5).toList();
    log.warn(
        "master: {} stopped answering for over {}; their tasks are re-queued",
        total == 1
            ? "worker " + names.get(0)
            : total
                + " worker session(s) ("
                + String.join(", ", names)
                + (unreported.size() > 5 ? ", …" : "")
                + ")",
        Durations.format(lease));
    unreported.clear();
  }
}
