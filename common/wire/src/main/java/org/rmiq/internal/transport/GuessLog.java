package org.rmiq.internal.transport;

import com.google.common.base.Ticker;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts failed handshakes per peer and shuts out a peer that fails too often: after {@value
 * #FAILURES_TO_BLOCK} failures within a minute, its new connections are closed at once, before the
 * master sends a byte, for a minute; each block that follows within an hour of the last lasts twice
 * as long, up to an hour. Other peers are never slowed.
 *
 * <p>A peer is an IPv4 address, or an IPv6 /64 (one host can use a whole /64). Memory is bounded:
 * at most {@value #MAX_PEERS} peers are remembered, the least recently seen forgotten first.
 */
public final class GuessThrottle {
  static final int FAILURES_TO_BLOCK = 10;
  static final int MAX_PEERS = 65_536;
  private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();
  private static final long FIRST_BLOCK_NANOS = Duration.ofMinutes(1).toNanos();
  private static final long LONGEST_BLOCK_NANOS = Duration.ofHours(1).toNanos();
  private static final long REPEAT_NANOS = Duration.ofHours(1).toNanos();

  private final Ticker ticker;
  private final Object lock = new Object();

  /** Peers with recent failures or blocks, least recently seen first. */
  @GuardedBy("lock")
  private final LinkedHashMap<String, Peer> peers = new LinkedHashMap<>(256, 0.75f, true);

  public GuessThrottle(Ticker ticker) {
    this.ticker = ticker;
  }

  /** One blocked peer, for the status page. */
  public record Blocked(String peer, long failures, long millisLeft) {}

  /** What a failure did: null, or the block it started (logged once per block). */
  public record Block(String peer, int failures, Duration length) {}

  /** True while {@code address} is shut out. */
  public boolean isBlocked(InetAddress address) {
    String key = key(address);
    long now = ticker.read();
    synchronized (lock) {
      Peer peer = peers.get(key);
      return peer != null && now < peer.blockedUntil;
    }
  }

  /**
   * Counts a failed handshake from {@code address}.
   *
   * @return the block this failure started, or null
   */
  public Block failed(InetAddress address) {
    String key = key(address);
    long now = ticker.read();
    synchronized (lock) {
      Peer peer = peers.computeIfAbsent(key, k -> new Peer());
      peer.total++;
      if (now < peer.blockedUntil) {
        return null; // already shut out (an attempt that was in flight)
      }
      peer.recent.addLast(now);
      while (!peer.recent.isEmpty() && now - peer.recent.peekFirst() > WINDOW_NANOS) {
        peer.recent.removeFirst();
      }
      if (peer.recent.size() < FAILURES_TO_BLOCK) {
        forgetOldest();
        return null;
      }
      boolean repeat = peer.blocks > 0 && now - peer.blockedUntil < REPEAT_NANOS;
      peer.blocks = repeat ? peer.blocks + 1 : 1;
      long length =
          Math.min(LONGEST_BLOCK_NANOS, FIRST_BLOCK_NANOS << Math.min(peer.blocks - 1, 10));
      peer.blockedUntil = now + length;
      peer.recent.clear();
      forgetOldest();
      return new Block(key, FAILURES_TO_BLOCK, Duration.ofNanos(length));
    }
  }

  /** The peers shut out now, the longest-blocked first. */
  public List<Blocked> blocked() {
    long now = ticker.read();
    List<Blocked> list = new ArrayList<>();
    synchronized (lock) {
      for (Map.Entry<String, Peer> e : peers.entrySet()) {
        Peer peer = e.getValue();
        if (now < peer.blockedUntil) {
          list.add(new Blocked(e.getKey(), peer.total, (peer.blockedUntil - now) / 1_000_000));
        }
      }
    }
    list.sort(Comparator.comparingLong(Blocked::millisLeft).reversed());
    return list;
  }

  @GuardedBy("lock")
  private void forgetOldest() {
    if (peers.size() <= MAX_PEERS) {
      return;
    }
    long now = ticker.read();
    Iterator<Peer> it = peers.values().iterator();
    while (peers.size() > MAX_PEERS && it.hasNext()) {
      Peer oldest = it.next();
      if (now >= oldest.blockedUntil || peers.size() > 2 * MAX_PEERS) {
        it.remove();
      }
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

  /** A peer's recent failures and its current or last block. */
  private static final class Peer {
    /** Times of the failures within the last minute, oldest first (at most 10). */
    final ArrayDeque<Long> recent = new ArrayDeque<>();

    long total;
    long blockedUntil = Long.MIN_VALUE;
    int blocks;
  }
}
