package org.rmiq.internal.transport;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.RateLimiter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.rmiq.util.DaemonThreads;
import org.rmiq.util.OutOfMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's listening socket as RMI sees it: {@link #accept()} returns only connections that
 * completed the handshake, so RMI's accept loop never meets an unauthenticated peer.
 *
 * <p>A {@link Greeter} thread accepts connections and reads their greetings; {@link Admission}
 * bounds what each peer can hold; greeted peers run the handshake ({@link ServerHandshake}) on a
 * bounded pool. A wrong code is answered only after the tarpit ({@link GuessLog#TARPIT}), holding
 * its handshake slot, which bounds how fast anyone can guess without shutting anyone out.
 */
final class GuardedServerSocket extends ServerSocket {
  private static final Logger log = LoggerFactory.getLogger(GuardedServerSocket.class);
  private static final int READY = 256;

  private final ServerSocketChannel channel;
  private final MasterListener.Settings settings;
  private final Admission admission;
  private final GuessLog guesses;
  private final ScheduledExecutorService tarpit;
  private final Greeter greeter;
  private final ExecutorService handshakes;

  /** Authenticated connections waiting for RMI's accept loop; a closed marker ends it. */
  private final BlockingQueue<Socket> ready = new ArrayBlockingQueue<>(READY);

  private final Socket closedMarker = new Socket();
  private final AtomicLong failures = new AtomicLong();
  private final RateLimiter failureLog = RateLimiter.create(1.0);
  private volatile boolean closed;

  /** Connections handed to RMI and still open; closed with this socket (see {@link #close}). */
  private final Set<Socket> handedOut = ConcurrentHashMap.newKeySet();

  GuardedServerSocket(ServerSocketChannel channel, MasterListener.Settings settings)
      throws IOException {
    this.channel = channel;
    this.settings = settings;
    this.admission = settings.admission();
    this.guesses = settings.guesses();
    this.tarpit =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("rmiq-tarpit-" + channel.socket().getLocalPort()));
    int port = channel.socket().getLocalPort();
    this.handshakes =
        new ThreadPoolExecutor(
            0,
            Admission.HANDSHAKES,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            DaemonThreads.numbered("rmiq-handshake-" + port + "-"));
    this.greeter =
        new Greeter(
            channel,
            admission,
            settings.keys().encrypted(),
            settings.versionNote(),
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
    DaemonThreads.named("rmiq-greeter-" + port).newThread(greeter).start();
  }

  private void authenticate(Greeter.Greeted peer) {
    InetAddress address = peer.slot().address();
    Socket raw = peer.channel().socket();
    boolean authenticated = false;
    boolean tarpitted = false; // then the tarpit gives the slot back
    try {
      ServerHandshake.Accepted accepted =
          ServerHandshake.run(
              raw,
              settings.keys(),
              settings.stubs().get(),
              settings.handshakeDeadline().toMillis());
      Socket socket = accepted.socket();
      socket.setSoTimeout(0); // from here on, RMI's own read timeout applies
      if (!admission.openConnection(address)) {
        socket.close();
        return;
      }
      authenticated = true;
      Socket[] self = new Socket[1];
      Socket guarded =
          new GuardedSocket(
              socket,
              settings.maxCallBytes(),
              () -> {
                admission.closeConnection(address);
                handedOut.remove(self[0]);
              },
              accepted.role(),
              settings.inFlight());
      self[0] = guarded;
      handedOut.add(guarded);
      if (closed || !ready.offer(guarded)) {
        guarded.close();
      }
    } catch (HandshakeException e) {
      if (e.refusal() != null) {
        tarpitted = true;
        wrongCode(peer.slot(), raw, e);
      } else {
        countFailure(address, e.getMessage());
        closeQuietly(raw);
      }
    } catch (IOException | RuntimeException e) {
      countFailure(address, e.toString());
      closeQuietly(raw);
    } catch (OutOfMemoryError e) {
      closeQuietly(raw);
      OutOfMemory.report("a handshake", e);
    } finally {
      if (!tarpitted) {
        admission.endHandshake(peer.slot(), authenticated);
      }
    }
  }

  /**
   * A peer showed a wrong code: it gets its refusal after the tarpit, and keeps its handshake slot
   * until then, so no address can test more than its share of slots per tarpit.
   */
  private void wrongCode(Admission.Slot slot, Socket raw, HandshakeException e) {
    failures.incrementAndGet();
    long total = guesses.wrongCode(slot.address());
    if (failureLog.tryAcquire()) {
      log.warn(
          "rmiq transport: {} showed a wrong code ({}; {} from there so far); it is answered"
              + " after {} s",
          slot.address().getHostAddress(),
          e.getMessage(),
          total,
          GuessLog.TARPIT.toSeconds());
    }
    try {
      var unused = // the task catches all it throws; nothing to check on the future
          tarpit.schedule(
              () -> {
                try {
                  e.refusal().send();
                } catch (IOException | RuntimeException gone) {
                  // it hung up first: it learns nothing sooner
                } finally {
                  closeQuietly(raw);
                  admission.endHandshake(slot, false);
                }
              },
              GuessLog.TARPIT.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      closeQuietly(raw);
      admission.endHandshake(slot, false);
    }
  }

  private void countFailure(InetAddress peer, String why) {
    long total = failures.incrementAndGet();
    if (failureLog.tryAcquire()) {
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
    tarpit.shutdownNow().forEach(Runnable::run); // the refusals now, and their slots back
    for (Socket s; (s = ready.poll()) != null; ) {
      closeQuietly(s);
    }
    // Workers keep their connections open after the master said it finished: RMI's threads then
    // sit in native reads, and a JVM waits 0.3 s at exit for threads in native code to come out.
    for (Socket s : List.copyOf(handedOut)) {
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
