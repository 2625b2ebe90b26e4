package org.rmiq.master;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import org.rmiq.internal.wire.LinkRequest;

/**
 * Who the master's workers are, in one registry keyed by id: links (one per worker JVM), the
 * sessions on them (one per worker), and a row per worker name that survives its sessions, so a
 * worker that re-joins keeps its counts. Guarded by the dispatcher's lock.
 *
 * <p>Everything a peer can add is bounded: links per address and in total, sessions per address and
 * in total, rows in total (gone workers that did the least are forgotten first).
 */
final class Registry {
  static final int LINKS_PER_ADDRESS = 256;
  static final int LINKS = 4096;
  static final int SESSIONS_PER_ADDRESS = 2048;
  static final int SESSIONS = 10_000;
  static final int ROWS = 10_000;
  private static final SecureRandom random = new SecureRandom();

  /** Names this run of the master, so a worker that reconnects can tell it restarted. */
  final String instance = newId().substring(0, 12);

  /** Live links by id. */
  final Map<String, LinkRec> links = new HashMap<>();

  /** Live sessions by id. */
  final Map<String, SessionRec> sessions = new HashMap<>();

  /** The threads the live sessions declared, together. */
  long threads;

  /** Worker rows by name, in the order they first joined. */
  final Map<String, WorkerRow> rows = new LinkedHashMap<>();

  /** The next suffix to try for each requested name taken by a live worker. */
  private final Map<String, Integer> suffixes = new HashMap<>();

  /** Live links and sessions per peer address. */
  private final Map<InetAddress, int[]> perAddress = new HashMap<>();

  /**
   * For each kind asked about, the addresses (computers) with a live session that runs it; dropped
   * whenever a session opens, closes or changes its kinds ({@link #sessionsChanged}).
   */
  private final Map<String, Set<InetAddress>> computersByKind = new HashMap<>();

  /** A worker JVM's link. */
  static final class LinkRec {
    final String id;
    final String host;

    /** Its computer's address; a link kept across a reconnect takes its new one. */
    InetAddress address;

    /** Whether it runs code this master ships (it accepts code, pinned to this master's key). */
    final boolean acceptsCode;

    /** The fingerprint of another teacher's key it pinned (so it refuses this master's code). */
    final String pinnedElsewhere;

    final Condition wake;
    long renewedAt;

    /** Its live sessions, in the order they joined. */
    final Map<String, SessionRec> sessions = new LinkedHashMap<>();

    /** Tasks to tell the worker to drop (their job was cancelled). */
    final List<Long> withdrawn = new ArrayList<>();

    /** Whether a reply told it the master finished. */
    boolean sawFinished;

    /** Whether an exchange of it waits for tasks now. */
    boolean waiting;

    /** Where the next hand-out starts among its sessions, so they share fairly. */
    int nextSession;

    LinkRec(
        String id,
        String host,
        InetAddress address,
        boolean acceptsCode,
        String pinnedElsewhere,
        Condition wake) {
      this.id = id;
      this.host = host;
      this.address = address;
      this.acceptsCode = acceptsCode;
      this.pinnedElsewhere = pinnedElsewhere;
      this.wake = wake;
    }
  }

  /** A worker session. */
  static final class SessionRec {
    final String id;
    final LinkRec link;
    final WorkerRow row;
    final int threads;

    /** The kinds it runs, and the shipped code it has loaded. */
    Set<String> kinds;

    Set<String> code = Set.of();

    /** The tasks it holds now, in the order taken. */
    final Set<TaskEntry> held = new LinkedHashSet<>();

    /** Results it delivered in each of the last four quarter-seconds, for its cap. */
    final long[] recent = new long[4];

    /** Results it delivered in all (that counted: held by it, not late or forged). */
    long delivered;

    long recentQuarter;
    boolean live = true;

    SessionRec(String id, LinkRec link, WorkerRow row, int threads, Set<String> kinds) {
      this.id = id;
      this.link = link;
      this.row = row;
      this.threads = threads;
      this.kinds = kinds;
    }

    boolean runs(TaskEntry entry) {
      return runs(entry.job);
    }

    /** Whether it runs {@code job}'s kind, with its code loaded when the kind is shipped. */
    boolean runs(Job job) {
      JobSpec spec = job.spec();
      return kinds.contains(spec.kind()) && (spec.code() == null || code.contains(spec.code()));
    }
  }

  /** One worker name's record, across its sessions. */
  static final class WorkerRow {
    final String name;
    String host;
    int threads;
    int liveSessions;
    boolean acceptsCode;
    long done;
    long failed;
    long busyMillis;
    long lastSeen;

    WorkerRow(String name) {
      this.name = name;
    }
  }

  /** Why a link or session was not opened. */
  static final class Full extends Exception {
    private static final long serialVersionUID = 1L;

    Full(String message) {
      super(message);
    }
  }

  /**
   * Opens a worker JVM's link, or keeps the one it had (named by its secret id) when its connection
   * broke while the link's lease still ran. {@code fingerprint} is this master's teacher key (null
   * without one): with the key the worker pinned, it says whether the link runs this master's code.
   */
  LinkRec openOrResume(
      LinkRequest request, InetAddress address, String fingerprint, Condition wake, long now)
      throws Full {
    LinkRec link = links.get(request.previousLink());
    if (link != null && !request.previousLink().isEmpty()) {
      moved(link, address, now);
      return link;
    }
    boolean pinnedHere = request.codeFrom().isEmpty() || request.codeFrom().equals(fingerprint);
    return openLink(
        request.host(),
        address,
        request.acceptsCode() && pinnedHere,
        pinnedHere ? "" : request.codeFrom(),
        wake,
        now);
  }

  LinkRec openLink(
      String host,
      InetAddress address,
      boolean acceptsCode,
      String pinnedElsewhere,
      Condition wake,
      long now)
      throws Full {
    int[] counts = perAddress.computeIfAbsent(address, a -> new int[2]);
    if (links.size() >= LINKS || counts[0] >= LINKS_PER_ADDRESS) {
      throw new Full(
          "this master has as many worker JVMs as it takes"
              + (counts[0] >= LINKS_PER_ADDRESS ? " from " + address.getHostAddress() : "")
              + "; try again later");
    }
    counts[0]++;
    LinkRec link = new LinkRec(newId(), host, address, acceptsCode, pinnedElsewhere, wake);
    link.renewedAt = now;
    links.put(link.id, link);
    return link;
  }

  SessionRec openSession(LinkRec link, String name, int threads, Set<String> kinds, long now)
      throws Full {
    int[] counts = perAddress.computeIfAbsent(link.address, a -> new int[2]);
    if (sessions.size() >= SESSIONS || counts[1] >= SESSIONS_PER_ADDRESS) {
      throw new Full("this master has as many workers as it takes; try again later");
    }
    counts[1]++;
    WorkerRow row = row(name);
    row.host = link.host;
    row.threads = threads;
    row.acceptsCode = link.acceptsCode;
    row.liveSessions++;
    row.lastSeen = now;
    SessionRec session = new SessionRec(newId(), link, row, threads, Set.copyOf(kinds));
    sessions.put(session.id, session);
    link.sessions.put(session.id, session);
    this.threads += threads;
    sessionsChanged();
    return session;
  }

  /** A row for a joining worker: its own if free, else one with the next free suffix. */
  private WorkerRow row(String requested) {
    WorkerRow existing = rows.get(requested);
    if (existing == null || existing.liveSessions == 0) {
      return existing != null ? existing : newRow(requested);
    }
    int n = suffixes.getOrDefault(requested, 2);
    String name = requested + "#" + n;
    existing = rows.get(name);
    while (existing != null && existing.liveSessions > 0) {
      n++;
      name = requested + "#" + n;
      existing = rows.get(name);
    }
    suffixes.put(requested, n + 1);
    return existing != null ? existing : newRow(name);
  }

  private WorkerRow newRow(String name) {
    if (rows.size() >= ROWS) {
      forgetIdleRows();
    }
    WorkerRow row = new WorkerRow(name);
    rows.put(name, row);
    return row;
  }

  /** Forgets a tenth of the gone workers' rows, those that did the least first. */
  private void forgetIdleRows() {
    List<WorkerRow> gone = new ArrayList<>();
    for (WorkerRow row : rows.values()) {
      if (row.liveSessions == 0) {
        gone.add(row);
      }
    }
    gone.sort(Comparator.comparingLong((WorkerRow r) -> r.done + r.failed));
    for (WorkerRow row : gone.subList(0, Math.min(gone.size(), Math.max(1, ROWS / 10)))) {
      rows.remove(row.name);
      suffixes.remove(row.name);
    }
  }

  /** The worker names of sessions that ended recently, to name their late results. */
  private final Map<String, String> retired =
      new java.util.LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > RETIRED_NAMES;
        }
      };

  static final int RETIRED_NAMES = 10_000;

  /** The worker name of a session that ended recently, or null. */
  String retiredName(String sessionId) {
    return retired.get(sessionId);
  }

  /** A session opened, closed or told new kinds. */
  void sessionsChanged() {
    computersByKind.clear();
  }

  /**
   * The addresses with a live session that runs {@code kind}: the computers that could take a task
   * of it. Workers of one computer share its address (all of a laptop's JVMs, or every JVM of a
   * one-machine demo on 127.0.0.1).
   */
  Set<InetAddress> computersRunning(String kind) {
    return computersByKind.computeIfAbsent(
        kind,
        k -> {
          Set<InetAddress> addresses = new HashSet<>();
          for (SessionRec s : sessions.values()) {
            if (s.kinds.contains(k)) {
              addresses.add(s.link.address);
            }
          }
          return Set.copyOf(addresses);
        });
  }

  /**
   * Keeps a live link for a worker JVM that reconnected (its connection broke while the link's
   * lease ran): it now calls from {@code address}.
   */
  void moved(LinkRec link, InetAddress address, long now) {
    link.renewedAt = now;
    if (!link.address.equals(address)) {
      int[] old = perAddress.get(link.address);
      if (old != null) {
        old[0]--;
        old[1] -= link.sessions.size();
        if (old[0] <= 0 && old[1] <= 0) {
          perAddress.remove(link.address);
        }
      }
      int[] counts = perAddress.computeIfAbsent(address, a -> new int[2]);
      counts[0]++;
      counts[1] += link.sessions.size();
      link.address = address;
      sessionsChanged();
    }
  }

  /** Connected workers that accept only another teacher's code, with the key they pinned. */
  Map<String, String> pinnedElsewhere() {
    Map<String, String> names = new java.util.TreeMap<>();
    for (SessionRec s : sessions.values()) {
      if (!s.link.pinnedElsewhere.isEmpty()) {
        names.put(s.row.name, s.link.pinnedElsewhere);
      }
    }
    return names;
  }

  /** Removes a session; the caller releases what it holds. */
  void closeSession(SessionRec session) {
    if (!session.live) {
      return;
    }
    session.live = false;
    retired.put(session.id, session.row.name);
    sessions.remove(session.id);
    threads -= session.threads;
    session.link.sessions.remove(session.id);
    sessionsChanged();
    session.row.liveSessions--;
    int[] counts = perAddress.get(session.link.address);
    if (counts != null) {
      counts[1]--;
    }
  }

  /** Removes a link (its sessions first: the caller releases what they hold). */
  void closeLink(LinkRec link) {
    for (Iterator<SessionRec> it = new ArrayList<>(link.sessions.values()).iterator();
        it.hasNext(); ) {
      closeSession(it.next());
    }
    if (links.remove(link.id) != null) {
      int[] counts = perAddress.get(link.address);
      if (counts != null && --counts[0] <= 0 && counts[1] <= 0) {
        perAddress.remove(link.address);
      }
    }
  }

  /** Links that have not called in within {@code leaseNanos}. */
  List<LinkRec> silentSince(long now, long leaseNanos) {
    List<LinkRec> silent = new ArrayList<>();
    for (LinkRec link : links.values()) {
      if (now - link.renewedAt > leaseNanos) {
        silent.add(link);
      }
    }
    return silent;
  }

  /** The free threads of the live sessions other than {@code s} that run one of its kinds. */
  long idleThreadsBesides(SessionRec s) {
    long idle = 0;
    for (SessionRec other : sessions.values()) {
      if (other != s && !java.util.Collections.disjoint(other.kinds, s.kinds)) {
        idle += LeasePolicy.freeThreads(other);
      }
    }
    return idle;
  }

  /** How many worker JVMs (links) have a live session that runs {@code kind}. */
  int jvmsRunning(String kind) {
    Set<LinkRec> found = new HashSet<>();
    for (SessionRec s : sessions.values()) {
      if (s.kinds.contains(kind)) {
        found.add(s.link);
      }
    }
    return found.size();
  }

  /**
   * Whether a live session runs the job's kind, or could once it loaded the job's shipped code (its
   * link accepts code).
   */
  boolean canRun(Job job) {
    for (SessionRec s : sessions.values()) {
      if (s.runs(job) || (job.spec().code() != null && s.link.acceptsCode)) {
        return true;
      }
    }
    return false;
  }

  /** Connected workers that do not accept code, by name. */
  List<String> refusingCode() {
    Set<String> names = new java.util.TreeSet<>();
    for (SessionRec s : sessions.values()) {
      if (!s.link.acceptsCode && s.link.pinnedElsewhere.isEmpty()) {
        names.add(s.row.name);
      }
    }
    return List.copyOf(names);
  }

  /** Every worker's row, connected ones first, then by tasks done, then by name. */
  List<WorkerSummary> summaries() {
    List<WorkerSummary> list = new ArrayList<>();
    for (WorkerRow row : rows.values()) {
      list.add(
          new WorkerSummary(
              row.name,
              row.host,
              row.threads,
              row.liveSessions > 0,
              row.done,
              row.failed,
              row.busyMillis,
              row.lastSeen,
              row.acceptsCode));
    }
    list.sort(
        Comparator.comparing((WorkerSummary w) -> !w.connected())
            .thenComparing(Comparator.comparingLong(WorkerSummary::tasks).reversed())
            .thenComparing(WorkerSummary::name));
    return list;
  }

  /** The kinds live sessions run, together. */
  Set<String> servedKinds() {
    Set<String> kinds = new java.util.TreeSet<>();
    for (SessionRec s : sessions.values()) {
      kinds.addAll(s.kinds);
    }
    return kinds;
  }

  private static String newId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return java.util.HexFormat.of().formatHex(bytes);
  }
}
