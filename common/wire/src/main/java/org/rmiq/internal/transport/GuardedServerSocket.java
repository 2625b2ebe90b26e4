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
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's listening socket as RMI sees it: {@link #accept()} returns only connections that
 * completed the handshake, so RMI's accept loop never meets an unauthenticated peer.
 *
 * <p>A {@link Greeter} thread accepts connections and reads their greetings; {@link Admission}
 * bounds what each peer can hold; greeted peers run the handshake ({@link ServerHandshake}) on a
 * bounded pool; failures are counted per peer by the {@link GuessThrottle}, which shuts out a peer
 * that fails too often.
 */
final class GuardedServerSocket extends ServerSocket {
  private static final Logger log = LoggerFactory.getLogger(GuardedServerSocket.class);
  private static final int READY = 256;

  private final ServerSocketChannel channel;
  private final MasterListener.Settings settings;
  private final Admission admission;
  private final GuessThrottle throttle;
  private final Greeter greeter;
  private final ExecutorService handshakes;

  /** Authenticated connections waiting for RMI's accept loop; a closed marker ends it. */
  private final BlockingQueue<Socket> ready = new ArrayBlockingQueue<>(READY);

  private final Socket closedMarker = new Socket();
  private final AtomicLong failures = new AtomicLong();
  private final RateLimiter failureLog = RateLimiter.create(1.0);
  private volatile boolean closed;

  GuardedServerSocket(ServerSocketChannel channel, MasterListener.Settings settings)
      throws IOException {
    this.channel = channel;
    this.settings = settings;
    this.admission = settings.admission();
    this.throttle = settings.throttle();
    int port = channel.socket().getLocalPort();
    this.handshakes =
        new ThreadPoolExecutor(
            0,
            Admission.HANDSHAKES,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            new ThreadFactoryBuilder()
                .setDaemon(true)
                .setNameFormat("rmiq-handshake-" + port + "-%d")
                .build());
    this.greeter =
        new Greeter(
            channel,
            admission,
            throttle,
            settings.keys().encrypted(),
            new Greeter.Sink() {
              @Override
              public void greeted(Greeter.Greeted peer) {
                handshakes.execute(() -> authenticate(peer));
              }

              @Override
              public void failed(InetAddress peer, String why) {
                countFailure(peer, why);
              }
            });
    new ThreadFactoryBuilder()
        .setDaemon(true)
        .setNameFormat("rmiq-greeter-" + port)
        .build()
        .newThread(greeter)
        .start();
  }

  private void authenticate(Greeter.Greeted peer) {
    InetAddress address = peer.slot().address();
    Socket raw = peer.channel().socket();
    boolean authenticated = false;
    try {
      Socket socket =
          ServerHandshake.run(raw, settings.keys(), settings.handshakeDeadline().toMillis());
      socket.setSoTimeout(0); // from here on, RMI's own read timeout applies
      if (!admission.openConnection(address)) {
        socket.close();
        return;
      }
      authenticated = true;
      Socket guarded =
          new GuardedSocket(
              socket, settings.maxCallBytes(), () -> admission.closeConnection(address));
      if (closed || !ready.offer(guarded)) {
        guarded.close();
      }
    } catch (HandshakeException e) {
      countFailure(address, e.getMessage());
      closeQuietly(raw);
    } catch (IOException | RuntimeException e) {
      countFailure(address, e.toString());
      closeQuietly(raw);
    } finally {
      admission.endHandshake(peer.slot(), authenticated);
    }
  }

  private void countFailure(InetAddress peer, String why) {
    long total = failures.incrementAndGet();
    GuessThrottle.Block block = throttle.failed(peer);
    if (block != null) {
      log.warn(
          "rmiq transport: shut out {} for {} min after {} failed handshakes within a minute"
              + " (the last: {}); its new connections are closed at once",
          block.peer(),
          block.length().toMinutes(),
          block.failures(),
          why);
    } else if (failureLog.tryAcquire()) {
      log.warn(
          "rmiq transport: refused a connection from {}: {} ({} refused so far)",
          peer.getHostAddress(),
          why,
          total);
    }
  }

  /** Connections that failed the handshake since this socket opened. */
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
    greeter.close();
    closeQuietly(channel.socket());
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
    return true;
  }

  @Override
  public int getLocalPort() {
    return channel.socket().getLocalPort();
  }

  @Override
  public InetAddress getInetAddress() {
    return channel.socket().getInetAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return channel.socket().getLocalSocketAddress();
  }

  @Override
  public String toString() {
    return "rmiq authenticated server socket on " + getLocalSocketAddress();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // nothing more to do for a connection we are dropping
    }
  }
}
