package org.rmiq.master;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who the master's workers are: each session's display name (unique among workers), host and
 * threads, whether it is still connected, and what it has done. Names are remembered after a
 * session ends, so a late result is still attributed to the worker that sent it.
 */
final class WorkerDirectory {
  private final Object lock = new Object();

  /** Every session ever opened, by id. */
  @GuardedBy("lock")
  private final Map<String, WorkerInfo> sessions = new HashMap<>();

  /** Sessions by their unique name, so a second "alice@lab1" becomes "alice@lab1#2". */
  @GuardedBy("lock")
  private final Map<String, WorkerInfo> byName = new HashMap<>();

  /** Registers a new session and returns it with its unique name. */
  WorkerInfo join(String requestedName, String host, int threads, long nowNanos) {
    synchronized (lock) {
      String name = requestedName;
      for (int n = 2; byName.containsKey(name); n++) {
        name = requestedName + "#" + n;
      }
      WorkerInfo info = new WorkerInfo(UUID.randomUUID().toString(), name, host, threads);
      info.lastSeenNanos = nowNanos;
      sessions.put(info.sessionId, info);
      byName.put(name, info);
      return info;
    }
  }

  /** The name shown for a session, or a placeholder for one this master never saw. */
  String nameOf(String sessionId) {
    synchronized (lock) {
      WorkerInfo info = sessions.get(sessionId);
      return info == null ? "unknown-worker" : info.name;
    }
  }

  /** Notes that a session called in, for "last heartbeat" on the status views. */
  void seen(String sessionId, long nowNanos) {
    synchronized (lock) {
      WorkerInfo info = sessions.get(sessionId);
      if (info != null) {
        info.lastSeenNanos = nowNanos;
      }
    }
  }

  void markGone(String sessionId) {
    synchronized (lock) {
      WorkerInfo info = sessions.get(sessionId);
      if (info != null) {
        info.connected = false;
      }
    }
  }

  void markGoneByName(String name) {
    synchronized (lock) {
      WorkerInfo info = byName.get(name);
      if (info != null) {
        info.connected = false;
      }
    }
  }

  /** Counts outcomes towards the workers that produced them. */
  void record(List<TaskOutcome> outcomes) {
    synchronized (lock) {
      for (TaskOutcome outcome : outcomes) {
        WorkerInfo info = byName.get(outcome.worker());
        if (info != null) {
          if (outcome.ok()) {
            info.succeeded++;
          } else {
            info.failed++;
          }
          info.busyMillis += outcome.millis();
        }
      }
    }
  }

  /** A copy of every worker's record, sorted by name. */
  List<WorkerSummary> summaries() {
    synchronized (lock) {
      List<WorkerSummary> list = new ArrayList<>();
      for (WorkerInfo info : sessions.values()) {
        list.add(
            new WorkerSummary(
                info.name,
                info.host,
                info.threads,
                info.connected,
                info.succeeded,
                info.failed,
                info.busyMillis,
                info.lastSeenNanos));
      }
      list.sort((a, b) -> a.name().compareTo(b.name()));
      return list;
    }
  }

  /** A session's mutable record, guarded by the directory's lock. */
  static final class WorkerInfo {
    final String sessionId;
    final String name;
    final String host;
    final int threads;
    boolean connected = true;
    long lastSeenNanos;
    long succeeded;
    long failed;
    long busyMillis;

    WorkerInfo(String sessionId, String name, String host, int threads) {
      this.sessionId = sessionId;
      this.name = name;
      this.host = host;
      this.threads = threads;
    }
  }
}
