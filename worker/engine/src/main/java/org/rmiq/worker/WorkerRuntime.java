package org.rmiq.worker;

import com.google.common.base.Suppliers;
import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.transport.MasterConnector;
import org.rmiq.util.Timers;

/**
 * What the workers of one JVM share: one link (thread, connection, exchange) per master they join,
 * one timer thread for task timeouts and progress lines, and the host name. A hundred workers in
 * one JVM thus cost a hundred task threads, one link thread and one timer thread, and the master
 * one call where it would take a hundred.
 */
final class WorkerRuntime {
  private static final Supplier<WorkerRuntime> SHARED =
      Suppliers.memoize(() -> new WorkerRuntime(Ticker.systemTicker(), null));

  /** Which link a worker joins: the same master reached the same way, trusting the same code. */
  private record Key(ClientProfile profile, CodeTrust trust) {
    // Written out rather than generated: a record's generated equals and hashCode link through
    // method handles on their first call, about 15 ms of a cold worker's join.
    @Override
    public boolean equals(Object o) {
      return o instanceof Key other && profile.equals(other.profile) && trust.equals(other.trust);
    }

    @Override
    public int hashCode() {
      return 31 * profile.hashCode() + trust.hashCode();
    }
  }

  private final Ticker ticker;

  /** Connects links; null for the real registry lookup. */
  private final MasterLink.Connector connector;

  private final ScheduledExecutorService timers = Timers.daemon("rmiq-worker-timer-");

  private final Supplier<String> localHost = Suppliers.memoize(WorkerRuntime::findLocalHost);

  @GuardedBy("this")
  private final Map<Key, MasterLink> links = new HashMap<>();

  WorkerRuntime(Ticker ticker, MasterLink.Connector connector) {
    this.ticker = ticker;
    this.connector = connector;
  }

  /** The JVM's runtime. */
  static WorkerRuntime shared() {
    return SHARED.get();
  }

  Ticker ticker() {
    return ticker;
  }

  /** Task timeouts and periodic lines; jobs on it must be short and never throw. */
  ScheduledExecutorService timers() {
    return timers;
  }

  /**
   * Adds a worker to the link for its master (the one other workers use, or a new one), building
   * its desk for that link.
   */
  synchronized TaskDesk join(
      ClientProfile profile, CodeTrust trust, Function<MasterLink, TaskDesk> newDesk) {
    Key key = new Key(profile, trust);
    while (true) {
      MasterLink link = links.get(key);
      boolean fresh = link == null;
      if (fresh) {
        MasterLink.Connector connect =
            connector != null ? connector : () -> MasterConnector.lookup(profile);
        link = new MasterLink(profile, trust, connect, ticker, localHost.get(), this);
        links.put(key, link);
      }
      TaskDesk desk = newDesk.apply(link);
      if (link.add(desk)) {
        if (fresh) {
          link.start();
        }
        return desk;
      }
      desk.discard(); // the link failed meanwhile: a new one
      links.remove(key, link);
    }
  }

  /** Takes {@code desk} off {@code link}; the link closes after its last worker. */
  synchronized void release(MasterLink link, TaskDesk desk, CountDownLatch done) {
    if (link.remove(desk, done)) {
      links.remove(new Key(link.profile(), link.trust()), link);
    }
  }

  /** A link failed for good: later workers get a new one. */
  synchronized void forget(MasterLink link) {
    links.remove(new Key(link.profile(), link.trust()), link);
  }

  String localHost() {
    return localHost.get();
  }

  private static String findLocalHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
