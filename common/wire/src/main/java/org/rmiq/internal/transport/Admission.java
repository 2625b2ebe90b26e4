package org.rmiq.internal.transport;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds what connecting peers can make the master hold, so strangers cannot lock workers out:
 *
 * <ul>
 *   <li>the waiting room (connections that have not sent rmiq's eight-byte greeting yet; they cost
 *       no thread) holds at most {@value #WAITING} connections, {@value #WAITING_PER_ADDRESS} per
 *       address;
 *   <li>handshakes in progress (a thread each) are at most {@value #HANDSHAKES}; peers that have
 *       not authenticated in the last half hour ("strangers") get at most {@value #STRANGERS} of
 *       them, at most {@value #STRANGERS_PER_NETWORK} per /24 (IPv4) or /64 (IPv6) network and
 *       {@value #PER_ADDRESS} per address, so part of the pool stays free for known workers;
 *   <li>authenticated connections (a thread each in RMI) are at most {@value #CONNECTIONS}, {@value
 *       #CONNECTIONS_PER_ADDRESS} per address (a classroom behind one NAT address fits).
 * </ul>
 *
 * A peer over a limit is told the master is busy and its worker tries again later; "busy" answers
 * are counted for the status page.
 */
final class Admission {
  static final int WAITING = 4096;
  static final int WAITING_PER_ADDRESS = 256;
  static final int HANDSHAKES = 256;
  static final int STRANGERS = 192;
  static final int STRANGERS_PER_NETWORK = 64;
  static final int PER_ADDRESS = 16;
  static final int CONNECTIONS = 1024;
  static final int CONNECTIONS_PER_ADDRESS = 256;
  private static final int RECENT_REMEMBERED = 10_000;
  private static final long RECENT_NANOS = Duration.ofMinutes(30).toNanos();

  private final Ticker ticker;
  private final Object lock = new Object();
  private final AtomicLong busy = new AtomicLong();

  @GuardedBy("lock")
  private final Counts waiting = new Counts();

  @GuardedBy("lock")
  private final Counts handshakes = new Counts();

  @GuardedBy("lock")
  private final Counts strangerNetworks = new Counts();

  @GuardedBy("lock")
  private int strangers;

  @GuardedBy("lock")
  private final Counts connections = new Counts();

  /** When each address last authenticated, least recent first. */
  @GuardedBy("lock")
  private final LinkedHashMap<InetAddress, Long> recent = new LinkedHashMap<>(256, 0.75f, true);

  Admission(Ticker ticker) {
    this.ticker = ticker;
  }

  /** A handshake slot, to give back with {@link #endHandshake}. */
  record Slot(InetAddress address, boolean stranger) {}

  /** Admits a new connection to wait for its greeting; false (counted as busy) when full. */
  boolean enterWaitingRoom(InetAddress address) {
    synchronized (lock) {
      if (waiting.total >= WAITING || waiting.of(address) >= WAITING_PER_ADDRESS) {
        busy.incrementAndGet();
        return false;
      }
      waiting.add(address);
      return true;
    }
  }

  void leaveWaitingRoom(InetAddress address) {
    synchronized (lock) {
      waiting.remove(address);
    }
  }

  /** A handshake slot for {@code address}, or null (counted as busy) when none is free. */
  Slot startHandshake(InetAddress address) {
    long now = ticker.read();
    synchronized (lock) {
      Long seen = recent.get(address);
      boolean stranger = seen == null || now - seen > RECENT_NANOS;
      String network = network(address);
      boolean full =
          handshakes.total >= HANDSHAKES
              || handshakes.of(address) >= PER_ADDRESS
              || connections.of(address) >= CONNECTIONS_PER_ADDRESS
              || connections.total >= CONNECTIONS
              || (stranger
                  && (strangers >= STRANGERS
                      || strangerNetworks.of(network) >= STRANGERS_PER_NETWORK));
      if (full) {
        busy.incrementAndGet();
        return null;
      }
      handshakes.add(address);
      if (stranger) {
        strangers++;
        strangerNetworks.add(network);
      }
      return new Slot(address, stranger);
    }
  }

  /** Gives a handshake slot back; an authenticated address counts as known for half an hour. */
  void endHandshake(Slot slot, boolean authenticated) {
    long now = ticker.read();
    synchronized (lock) {
      handshakes.remove(slot.address());
      if (slot.stranger()) {
        strangers--;
        strangerNetworks.remove(network(slot.address()));
      }
      if (authenticated) {
        recent.put(slot.address(), now);
        if (recent.size() > RECENT_REMEMBERED) {
          recent.remove(recent.keySet().iterator().next());
        }
      }
    }
  }

  /** Counts an authenticated connection; false (counted as busy) over the limits. */
  boolean openConnection(InetAddress address) {
    synchronized (lock) {
      if (connections.total >= CONNECTIONS || connections.of(address) >= CONNECTIONS_PER_ADDRESS) {
        busy.incrementAndGet();
        return false;
      }
      connections.add(address);
      return true;
    }
  }

  void closeConnection(InetAddress address) {
    synchronized (lock) {
      connections.remove(address);
    }
  }

  /** Connections refused because a limit was reached ("busy"). */
  long busyRefusals() {
    return busy.get();
  }

  /** Authenticated connections open now. */
  int openConnections() {
    synchronized (lock) {
      return connections.total;
    }
  }

  /** The /24 of an IPv4 address or the /64 of an IPv6 one. */
  static String network(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
    }
    return GuessLog.key(address);
  }

  /** Counts per key and in total; keys at zero are removed, so the map stays small. */
  private static final class Counts {
    private final Map<Object, Integer> byKey = new HashMap<>();
    int total;

    int of(Object key) {
      return byKey.getOrDefault(key, 0);
    }

    void add(Object key) {
      byKey.merge(key, 1, Integer::sum);
      total++;
    }

    void remove(Object key) {
      Integer n = byKey.get(key);
      if (n == null) {
        return;
      }
      if (n == 1) {
        byKey.remove(key);
      } else {
        byKey.put(key, n - 1);
      }
      total--;
    }
  }
}
