package org.rmiq.master;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.Task;

/**
 * The handing-out half of the {@link TaskBoard}: which waiting tasks go to which of a link's
 * sessions, and what a lease changes on a task (its attempts, holders, deadline). Not thread-safe:
 * called under the dispatcher's lock.
 */
final class Leasing {
  private final Registry registry;
  private final PendingTasks pending;
  private final RetryClock clock;

  Leasing(Registry registry, PendingTasks pending, RetryClock clock) {
    this.registry = registry;
    this.pending = pending;
    this.clock = clock;
  }

  /**
   * Leases tasks to the link's sessions with room, a burst each in turn so they share what is
   * there, each at most what {@link LeasePolicy} allows; a session with a free thread and nothing
   * to take gets a backup copy of an overdue running task. Returns them by session id.
   */
  Map<String, List<Task>> lease(
      Registry.LinkRec link, Map<Registry.SessionRec, Integer> room, long now) {
    Map<String, List<Task>> given = new HashMap<>();
    if (room.isEmpty()) {
      return given;
    }
    List<Registry.SessionRec> sessions = new ArrayList<>(room.keySet());
    // a session may have left while its link's exchange waited
    sessions.removeIf(s -> link.sessions.get(s.id) != s);
    sessions.sort(Comparator.comparing(s -> s.id));
    Map<Registry.SessionRec, Integer> left = new HashMap<>();
    for (Registry.SessionRec s : sessions) {
      left.put(s, allowance(s, room.get(s), now));
    }
    boolean progress = pending.size() > 0;
    int start = link.nextSession++;
    int total = 0; // one reply carries at most MAX_TASKS, however many sessions ask
    while (progress && total < ExchangeRequest.MAX_TASKS) {
      progress = false;
      for (int i = 0; i < sessions.size(); i++) {
        Registry.SessionRec s = sessions.get((start + i) % sessions.size());
        int n = left.get(s);
        int burst = LeasePolicy.burst(n, sessions.size());
        for (int k = 0; k < burst && n > 0 && total < ExchangeRequest.MAX_TASKS; k++) {
          TaskEntry entry = pending.poll(s);
          if (entry == null) {
            break;
          }
          given.computeIfAbsent(s.id, id -> new ArrayList<>()).add(leaseTo(entry, s, now, false));
          n--;
          total++;
          progress = true;
        }
        left.put(s, n);
      }
    }
    for (Registry.SessionRec s : sessions) {
      if (!given.containsKey(s.id) && LeasePolicy.freeThreads(s) > 0 && !pending.hasAnyFor(s)) {
        TaskEntry overdue = oldestOverdue(s, now);
        if (overdue != null) {
          given.put(s.id, new ArrayList<>(List.of(leaseTo(overdue, s, now, true))));
        }
      }
    }
    return given;
  }

  /** What {@code s} may take now (see {@link LeasePolicy#allowance}). */
  private int allowance(Registry.SessionRec s, int room, long now) {
    long waiting = pending.sizeFor(s);
    // The others' idle threads matter only while the waiting tasks would not fill every thread.
    long idleElsewhere = waiting <= registry.threads ? registry.idleThreadsBesides(s) : 0;
    return LeasePolicy.allowance(s, room, now, waiting, idleElsewhere);
  }

  /**
   * The running task held longest past its job's hold limit that {@code s} could run and neither it
   * nor another session of its worker JVM holds; null when there is none. Called only when {@code
   * s} is idle and nothing waits for it: at the end of a job, over the tasks held now.
   */
  private TaskEntry oldestOverdue(Registry.SessionRec s, long now) {
    TaskEntry oldest = null;
    for (Registry.SessionRec holder : registry.sessions.values()) {
      if (holder.link == s.link) {
        continue;
      }
      for (TaskEntry entry : holder.held) {
        if ((oldest == null || entry.leasedAt < oldest.leasedAt)
            && s.runs(entry)
            && LeasePolicy.wantsBackup(entry, now)) {
          oldest = entry;
        }
      }
    }
    return oldest;
  }

  private Task leaseTo(TaskEntry entry, Registry.SessionRec session, long now, boolean backup) {
    if (!backup) {
      entry.attempts++; // a backup copy is not an attempt: it races one already under way
      entry.leasedAt = now;
      clock.watch(entry, now);
    } else {
      entry.backups++;
      if (entry.backupHolders == null) {
        entry.backupHolders = new FewSessions();
      }
      entry.backupHolders.add(session);
    }
    if (entry.current.isEmpty()) {
      entry.job.pending--;
      entry.job.leased++;
    }
    entry.handedTo(session);
    session.held.add(entry);
    if (entry.job.firstTakenAt < 0) {
      entry.job.firstTakenAt = now;
    }
    if (Replicas.wantsAnotherCopy(entry)) {
      pending.addLast(entry); // the next replica, for a worker in another JVM
    }
    return entry.task();
  }
}
