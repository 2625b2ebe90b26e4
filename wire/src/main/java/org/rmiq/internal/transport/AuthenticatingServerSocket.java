package org.rmiq.internal.transport;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.RateLimiter;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server socket whose {@link #accept()} returns only connections that passed the rmiq handshake,
 * so RMI's accept loop never sees an unauthenticated peer.
 *
 * <p>An acceptor thread takes raw connections from the real listening socket and hands each to a
 * bounded pool that runs the handshake under its deadline; a silent peer therefore only ties up one
 * pool thread until its deadline, never the accept loop. One peer address may have at most {@value
 * #MAX_PENDING_PER_PEER} handshakes in progress, so a flood of silent connections from one host
 * cannot take the slots other hosts' workers need; beyond that, and beyond {@value #MAX_HANDSHAKES}
 * in all, new connections are closed at once.
 */
final class AuthenticatingServerSocket extends ServerSocket {
  private static final Logger log = LoggerFactory.getLogger(AuthenticatingServerSocket.class);
  static final int MAX_HANDSHAKES = 1024;
  static final int MAX_PENDING_PER_PEER = 128;
  private static final int MAX_READY = 256;

  private final ServerSocket listener;
  private final byte[] key;
  private final byte[] realm;
  private final long deadlineMillis;

  /** TLS around the handshake, or null for none. */
  private final SSLContext tls;

  /** Authenticated connections waiting for RMI's accept loop; a closed marker ends it. */
  private final BlockingQueue<Socket> ready = new ArrayBlockingQueue<>(MAX_READY);

  private final ExecutorService handshakes;
  private final Thread acceptor;
  private final RateLimiter failureLogLimit = RateLimiter.create(1.0);
  private final AtomicLong failures = new AtomicLong();

  /** Handshakes in progress per peer address. */
  private final ConcurrentHashMap<InetAddress, Integer> pendingByPeer = new ConcurrentHashMap<>();

  private final Socket closedMarker = new Socket();
  private volatile boolean closed;

  AuthenticatingServerSocket(
      ServerSocket listener, byte[] key, byte[] realm, Duration deadline, SSLContext tls)
      throws IOException {
    this.listener = listener;
    this.tls = tls;
    this.key = key;
    this.realm = realm;
    this.deadlineMillis = deadline.toMillis();
    int port = listener.getLocalPort();
    this.handshakes =
        new ThreadPoolExecutor(
            0,
            MAX_HANDSHAKES,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            new ThreadFactoryBuilder()
                .setDaemon(true)
                .setNameFormat("rmiq-handshake-" + port + "-%d")
                .build());
    this.acceptor =
        new ThreadFactoryBuilder()
            .setDaemon(true)
            .setNameFormat("rmiq-acceptor-" + port)
            .build()
            .newThread(this::acceptLoop);
    acceptor.start();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket raw;
      try {
        raw = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          log.error(
              "rmiq transport: accepting on port {} failed; no more workers can connect",
              getLocalPort(),
              e);
          close();
        }
        return;
      }
      InetAddress peer = raw.getInetAddress();
      if (pendingByPeer.merge(peer, 1, Integer::sum) > MAX_PENDING_PER_PEER) {
        done(peer);
        refuse(
            raw,
            "too many unfinished handshakes from "
                + peer.getHostAddress()
                + " ("
                + MAX_PENDING_PER_PEER
                + "); dropped");
        continue;
      }
      try {
        handshakes.execute(
            () -> {
              try {
                authenticate(raw);
              } finally {
                done(peer);
              }
            });
      } catch (RejectedExecutionException e) {
        done(peer);
        refuse(raw, "too many handshakes in progress (" + MAX_HANDSHAKES + "); dropped");
      }
    }
  }

  private void done(InetAddress peer) {
    pendingByPeer.computeIfPresent(peer, (p, n) -> n > 1 ? n - 1 : null);
  }

  private void refuse(Socket raw, String why) {
    failures.incrementAndGet();
    logFailure(raw, why);
    closeQuietly(raw);
  }

  private void authenticate(Socket raw) {
    Socket authenticated;
    try {
      raw.setTcpNoDelay(true);
      authenticated = Handshake.serve(raw, key, realm, deadlineMillis, tls);
      authenticated.setSoTimeout(0); // from here on, RMI's own timeouts apply
    } catch (IOException | RuntimeException e) {
      failures.incrementAndGet();
      logFailure(raw, e.getMessage());
      closeQuietly(raw);
      return;
    }
    if (closed || !ready.offer(authenticated)) {
      closeQuietly(authenticated);
    }
  }

  private void logFailure(Socket raw, String why) {
    if (failureLogLimit.tryAcquire()) {
      log.warn(
          "rmiq transport: refused connection from {}: {} ({} refused so far)",
          raw.getRemoteSocketAddress(),
          why,
          failures.get());
    }
  }

  /** How many connections failed the handshake since this socket opened. */
  long failedHandshakes() {
    return failures.get();
  }

  @Override
  public Socket accept() throws IOException {
    if (closed) {
      throw new SocketException("rmiq server socket is closed");
    }
    try {
      Socket socket = ready.take();
      if (socket == closedMarker) {
        ready.offer(closedMarker); // wake any other thread blocked in accept
        throw new SocketException("rmiq server socket is closed");
      }
      return socket;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SocketException("interrupted while accepting");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(listener);
    MoreExecutors.shutdownAndAwaitTermination(handshakes, 1, TimeUnit.SECONDS);
    for (Socket s; (s = ready.poll()) != null; ) {
      closeQuietly(s);
    }
    ready.offer(closedMarker);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean isBound() {
    return listener.isBound();
  }

  @Override
  public int getLocalPort() {
    return listener.getLocalPort();
  }

  @Override
  public InetAddress getInetAddress() {
    return listener.getInetAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return listener.getLocalSocketAddress();
  }

  @Override
  public String toString() {
    return "rmiq authenticated server socket on " + listener.getLocalSocketAddress();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // nothing more to do for a connection we are dropping
    }
  }
}
