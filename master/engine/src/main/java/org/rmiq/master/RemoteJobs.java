package org.rmiq.master;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.rmiq.report.TaskOutcome;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/**
 * Jobs submitted from other machines, by ticket: a secret the submitter follows its job with. A job
 * whose submitter stops asking for {@value #ABANDONED_SECONDS} s is cancelled (the submitter was
 * stopped without Ctrl-C), so no one's outcomes pile up unread.
 */
final class RemoteJobs {
  static final long ABANDONED_SECONDS = 30;

  /** The most outcome bytes one poll returns, well under a reply's limit. */
  static final long MAX_REPLY_BYTES = 8L << 20;

  private static final SecureRandom random = new SecureRandom();

  private record Followed(Job job, long[] lastPoll) {}

  private final Map<String, Followed> byTicket = new ConcurrentHashMap<>();

  String follow(Job job) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    String ticket = HexFormat.of().formatHex(bytes);
    byTicket.put(ticket, new Followed(job, new long[] {System.nanoTime()}));
    return ticket;
  }

  Job job(String ticket) {
    Followed f = byTicket.get(ticket);
    if (f == null) {
      return null;
    }
    f.lastPoll()[0] = System.nanoTime();
    return f.job();
  }

  /**
   * Outcomes of a job, and whether they are its last.
   *
   * @param drained the job had ended and every outcome it will ever have is in {@code outcomes} or
   *     was handed out before
   */
  record Drained(List<TaskOutcome> outcomes, boolean drained) {}

  /**
   * Outcomes of {@code job}, waiting up to {@code wait} for the first, within the reply cap, and
   * whether they are its last. The job's state alone cannot say so: a job is finished as soon as
   * its last task is collected, a moment before that task's outcome reaches its queue (the journal
   * writes it first), so "finished and nothing drained" read in that moment would leave the last
   * outcome unread. {@link Job#isDone} turns true only once every outcome is queued; read before
   * draining, it makes "nothing left" exact.
   */
  static Drained drain(Job job, int max, Duration wait) throws InterruptedException {
    boolean done = job.isDone();
    List<TaskOutcome> out = new ArrayList<>();
    TaskOutcome first = done && job.waiting() == 0 ? null : job.poll(wait);
    if (first != null) {
      out.add(first);
      long bytes = size(first);
      List<TaskOutcome> more = new ArrayList<>();
      while (out.size() < max && bytes < MAX_REPLY_BYTES) {
        more.clear();
        // one at a time near the cap, so a reply never overshoots it by a batch of big results
        int batch = bytes < MAX_REPLY_BYTES / 2 ? Math.min(256, max - out.size()) : 1;
        if (job.drainTo(more, batch) == 0) {
          break;
        }
        for (TaskOutcome o : more) {
          out.add(o);
          bytes += size(o);
        }
      }
    }
    return new Drained(out, done && job.waiting() == 0);
  }

  private static long size(TaskOutcome o) {
    return 128
        + 3L
            * (o.input().length()
                + (o.value() == null ? 0 : o.value().length())
                + (o.error() == null ? 0 : o.error().length()));
  }

  /** Cancels and forgets jobs nobody follows any more; forgets ended ones already read. */
  void sweep() {
    long now = System.nanoTime();
    byTicket
        .entrySet()
        .removeIf(
            e -> {
              Job job = e.getValue().job();
              boolean silent =
                  now - e.getValue().lastPoll()[0] > TimeUnit.SECONDS.toNanos(ABANDONED_SECONDS);
              if (silent && !job.isDone()) {
                job.cancel(
                    "its submitter stopped following it ("
                        + SettingNames.of(Setting.SUBMITTER)
                        + " ended without Ctrl-C)");
              }
              if (silent) {
                job.drainTo(new ArrayList<>(), Integer.MAX_VALUE); // nobody will read them
              }
              return silent;
            });
  }
}
