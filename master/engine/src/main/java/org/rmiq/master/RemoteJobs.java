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

  /** Outcomes of {@code job}, waiting up to {@code wait} for the first, within the reply cap. */
  static List<TaskOutcome> drain(Job job, int max, Duration wait) throws InterruptedException {
    List<TaskOutcome> out = new ArrayList<>();
    TaskOutcome first = job.isDone() && job.waiting() == 0 ? null : job.poll(wait);
    if (first == null) {
      return out;
    }
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
    return out;
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
