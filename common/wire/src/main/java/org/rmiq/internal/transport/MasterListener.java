package org.rmiq.internal.transport;

import com.google.common.base.Ticker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.rmi.server.RMIServerSocketFactory;
import java.time.Duration;
import java.util.List;

/**
 * The master's server socket factory: one guarded listening socket that the registry and every
 * exported object share (RMI shares a socket between exports whose factories are equal; one
 * instance serves all of a master's exports, and equality is identity, so two masters in one JVM
 * never share one). It stays on the master: it is never serialized.
 */
public final class MasterListener implements RMIServerSocketFactory {
  /** The most one call may carry, checked as it arrives (see {@link GuardedSocket}). */
  public static final long MAX_CALL_BYTES = 4L << 20;

  /** What the listening socket needs. */
  record Settings(
      MasterKeys keys,
      InetAddress bindAddress,
      Duration handshakeDeadline,
      long maxCallBytes,
      Admission admission,
      GuessLog guesses,
      InFlight inFlight,
      String versionNote,
      java.util.concurrent.atomic.AtomicReference<StubAddress> stubs) {}

  private final Settings settings;
  private volatile GuardedServerSocket last;
  private final java.util.concurrent.atomic.AtomicInteger opened =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * The listening sockets of one master.
   *
   * @param bindAddress where to listen, or null for every interface
   * @param handshakeDeadline how long a peer may take to complete the handshake (at most 10 s)
   * @param versionNote what a worker of another rmiq version is told: this master's version and
   *     where its own worker can be downloaded
   */
  public MasterListener(
      MasterKeys keys,
      InetAddress bindAddress,
      Duration handshakeDeadline,
      Ticker ticker,
      String versionNote) {
    if (handshakeDeadline.isNegative()
        || handshakeDeadline.isZero()
        || handshakeDeadline.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException(
          "the handshake deadline must be in (0, 10s], was " + handshakeDeadline);
    }
    this.settings =
        new Settings(
            keys,
            bindAddress,
            handshakeDeadline,
            MAX_CALL_BYTES,
            new Admission(ticker),
            new GuessLog(ticker),
            InFlight.forHeap(),
            versionNote,
            new java.util.concurrent.atomic.AtomicReference<>(StubAddress.NONE));
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    try {
      channel.bind(new InetSocketAddress(settings.bindAddress(), port), 1024);
      GuardedServerSocket socket = new GuardedServerSocket(channel, settings);
      last = socket;
      opened.incrementAndGet();
      return socket;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The port of the socket this factory opened, or -1 before it opened one. */
  public int boundPort() {
    GuardedServerSocket socket = last;
    return socket == null ? -1 : socket.getLocalPort();
  }

  /** How many listening sockets this factory opened; one when RMI shares it as intended. */
  public int socketsOpened() {
    return opened.get();
  }

  /** Connections that failed the handshake on the current socket. */
  public long failedHandshakes() {
    GuardedServerSocket socket = last;
    return socket == null ? 0 : socket.failedHandshakes();
  }

  /** Connections refused because the master was at a limit ("busy"). */
  public long busyRefusals() {
    return settings.admission().busyRefusals();
  }

  /** Authenticated connections open now. */
  public int openConnections() {
    return settings.admission().openConnections();
  }

  /** The peers that showed a wrong code within the last minute, the most persistent first. */
  public List<GuessLog.Guesser> guessers() {
    return settings.guesses().recent();
  }

  /**
   * Warms the handshake and the cipher in the background once this master listens: before, they
   * would compete with its start on a small machine's cores; after, they use the seconds before the
   * first worker comes.
   */
  public void warmUp() {
    if (settings.keys().encrypted()) {
      CipherWarmUp.startOnce();
    }
    HandshakeWarmUp.startForMaster(settings.keys());
  }

  /**
   * Tells every client from now on the address {@code stub} names (see {@link StubAddress}), so
   * each reaches the registry and the service on one connection. Call it once the service is
   * exported; until then clients make two.
   */
  public void stubsName(java.rmi.Remote stub) {
    settings.stubs().set(StubAddress.of(stub));
  }

  /** Whether connections are encrypted. */
  public boolean encrypted() {
    return settings.keys().encrypted();
  }
}
