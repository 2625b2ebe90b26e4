package org.rmiq.internal.transport;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers who showed a wrong class code (or teacher key), for the status page and the log. It
 * shuts nobody out: a whole class may share one address (a school's NAT, an IPv6 /64, a demo on
 * 127.0.0.1), and one mistyped code or port scan there must not lock thirty students out. Guessing
 * is slowed instead by the master's tarpit: a wrong code is answered only after {@link #TARPIT},
 * while it keeps one of its address's handshake slots (see {@link Admission}), so an address gets
 * at most {@value Admission#PER_ADDRESS} guesses per tarpit and all addresses together {@value
 * Admission#HANDSHAKES}.
 *
 * <p>Only failed key confirmations are guesses: a silent peer, garbage or a broken TLS connection
 * tests no code. A peer is an IPv4 address, or an IPv6 /64 (one host can use a whole /64). Memory
 * is bounded: at most {@value #MAX_PEERS} peers are remembered, the least recently seen forgotten
 * first.
 */
public final class GuessLog {
  /** How long a wrong code waits for its refusal. */
  public static final Duration TARPIT = Duration.ofSeconds(2);

  static final int MAX_PEERS = 65_536;
  private static final long RECENT_NANOS = Duration.ofMinutes(1).toNanos();

  private final Ticker ticker;
  private final Object lock = new Object();

  /** Peers that guessed, least recently seen first. */
  @GuardedBy("lock")
  private final LinkedHashMap<String, Peer> peers = new LinkedHashMap<>(256, 0.75f, true);

  public GuessLog(Ticker ticker) {
    this.ticker = ticker;
  }

  /** A peer that showed a wrong code within the last minute, for the status page. */
  public record Guesser(String peer, long wrongCodes, long secondsSinceLast) {}

  /**
   * Counts a wrong code from {@code address}.
   *
   * @return how many wrong codes that peer showed in all (1 for its first)
   */
  public long wrongCode(InetAddress address) {
    String key = key(address);
    long now = ticker.read();
    synchronized (lock) {
      Peer peer = peers.computeIfAbsent(key, k -> new Peer());
      peer.total++;
      peer.last = now;
      forgetOldest();
      return peer.total;
    }
  }

  /** The peers that guessed within the last minute, the most persistent first. */
  public List<Guesser> recent() {
    long now = ticker.read();
    List<Guesser> list = new ArrayList<>();
    synchronized (lock) {
      for (Map.Entry<String, Peer> e : peers.entrySet()) {
        Peer peer = e.getValue();
        if (now - peer.last <= RECENT_NANOS) {
          list.add(new Guesser(e.getKey(), peer.total, (now - peer.last) / 1_000_000_000));
        }
      }
    }
    list.sort(Comparator.comparingLong(Guesser::wrongCodes).reversed());
    return list;
  }

  @GuardedBy("lock")
  private void forgetOldest() {
    Iterator<Peer> it = peers.values().iterator();
    while (peers.size() > MAX_PEERS && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  /** An IPv4 address, or the /64 an IPv6 address is in. */
  static String key(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      return address.getHostAddress();
    }
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
      prefix.append(':');
    }
    return prefix.append(":/64").toString();
  }

  /** A peer's wrong codes: how many, and when the last came. */
  private static final class Peer {
    long total;
    long last;
  }
}
