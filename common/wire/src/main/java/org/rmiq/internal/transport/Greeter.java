package org.rmiq.internal.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.rmiq.util.OutOfMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections and reads each one's eight-byte greeting on one thread with a selector, so a
 * connection that stays silent costs a file descriptor and a few bytes, never a thread; only a peer
 * that greets in rmiq's protocol is handed to the handshake pool. A greeting is due within {@value
 * #GREETING_MILLIS} ms; a peer that sends none, or garbage, is closed and tested no code.
 */
final class Greeter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Greeter.class);
  static final long GREETING_MILLIS = 1000;

  /** A peer that greeted properly, for the handshake pool. */
  record Greeted(SocketChannel channel, Admission.Slot slot) {}

  /** Where greeted peers and failures go. */
  interface Sink {
    void greeted(Greeted peer);

    /** A peer that failed before the handshake (no greeting, or not rmiq's). */
    void failed(InetAddress peer, String why);
  }

  private final ServerSocketChannel server;
  private final Selector selector;
  private final Admission admission;
  private final byte mode;
  private final Sink sink;

  /** What a worker of another version is told: this master's version, where its worker is. */
  private final String versionNote;

  private volatile boolean closed;

  Greeter(
      ServerSocketChannel server, Admission admission, boolean tls, String versionNote, Sink sink)
      throws IOException {
    this.versionNote = versionNote;
    this.server = server;
    this.admission = admission;
    this.mode = tls ? Greeting.TLS : Greeting.PLAINTEXT;
    this.sink = sink;
    this.selector = Selector.open();
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
  }

  /** A connection waiting for its greeting. */
  private static final class Waiting {
    final InetAddress address;
    final ByteBuffer greeting = ByteBuffer.allocate(Greeting.HELLO_SIZE);
    final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GREETING_MILLIS);

    Waiting(InetAddress address) {
      this.address = address;
    }
  }

  @Override
  public void run() {
    try {
      loop();
    } finally {
      closeAll();
    }
  }

  private void loop() {
    while (!closed) {
      try {
        selector.select(100);
        List<Greeted> ready = new ArrayList<>();
        for (SelectionKey key : selector.selectedKeys()) {
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            acceptAll();
          } else if (key.isReadable()) {
            read(key, ready);
          }
        }
        selector.selectedKeys().clear();
        dropLate();
        if (!ready.isEmpty()) {
          selector.selectNow(); // completes the cancellation of their keys
          for (Greeted peer : ready) {
            handOff(peer);
          }
        }
      } catch (ClosedSelectorException e) {
        return;
      } catch (OutOfMemoryError e) {
        OutOfMemory.report("the connection acceptor", e);
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          log.error("rmiq transport: the connection acceptor failed; retrying", e);
        }
      }
    }
  }

  private void acceptAll() throws IOException {
    for (SocketChannel channel; (channel = server.accept()) != null; ) {
      InetAddress address = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
      if (!admission.enterWaitingRoom(address)) {
        answerAndClose(channel, Greeting.answer(Greeting.BUSY));
        continue;
      }
      channel.configureBlocking(false);
      channel.socket().setTcpNoDelay(true);
      channel.register(selector, SelectionKey.OP_READ, new Waiting(address));
    }
  }

  private void read(SelectionKey key, List<Greeted> ready) {
    Waiting waiting = (Waiting) key.attachment();
    SocketChannel channel = (SocketChannel) key.channel();
    int n;
    try {
      n = channel.read(waiting.greeting);
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0) {
      fail(key, waiting, "closed the connection without greeting in rmiq's protocol");
      return;
    }
    byte[] hello = waiting.greeting.array();
    int got = waiting.greeting.position();
    if (got >= Greeting.SIZE
        && Greeting.isRmiq(java.util.Arrays.copyOf(hello, Greeting.SIZE))
        && Greeting.version(hello) != Greeting.VERSION) {
      key.cancel();
      admission.leaveWaitingRoom(waiting.address);
      answerAndClose(channel, Greeting.otherVersion(versionNote)); // not an attack
      return;
    }
    if (waiting.greeting.hasRemaining()) {
      return;
    }
    key.cancel();
    admission.leaveWaitingRoom(waiting.address);
    if (!Greeting.isRmiq(java.util.Arrays.copyOf(hello, Greeting.SIZE))
        || hello[8] != '\r'
        || hello[9] != '\n') {
      failed(channel, waiting.address, "did not greet in rmiq's protocol");
    } else if (Greeting.last(hello) != mode) {
      answerAndClose(channel, Greeting.answer(Greeting.OTHER_MODE)); // a mis-set flag
    } else {
      Admission.Slot slot = admission.startHandshake(waiting.address);
      if (slot == null) {
        answerAndClose(channel, Greeting.answer(Greeting.BUSY));
      } else {
        ready.add(new Greeted(channel, slot));
      }
    }
  }

  private void handOff(Greeted peer) {
    try {
      peer.channel().configureBlocking(true);
      sink.greeted(peer);
    } catch (IOException | RuntimeException e) {
      admission.endHandshake(peer.slot(), false);
      closeQuietly(peer.channel());
    }
  }

  /** Drops connections whose greeting did not arrive in time. */
  private void dropLate() {
    long now = System.nanoTime();
    for (SelectionKey key : selector.keys()) {
      if (key.attachment() instanceof Waiting waiting && now - waiting.deadline > 0) {
        fail(key, waiting, "sent no rmiq greeting within " + GREETING_MILLIS + " ms");
      }
    }
  }

  private void fail(SelectionKey key, Waiting waiting, String why) {
    key.cancel();
    admission.leaveWaitingRoom(waiting.address);
    failed((SocketChannel) key.channel(), waiting.address, why);
  }

  private void failed(SocketChannel channel, InetAddress address, String why) {
    closeQuietly(channel);
    sink.failed(address, why);
  }

  /** Writes the master's short answer (it fits any socket buffer) and closes. */
  private static void answerAndClose(SocketChannel channel, byte[] answer) {
    try {
      channel.write(ByteBuffer.wrap(answer));
    } catch (IOException | RuntimeException ignored) {
      // the peer is gone: nothing to tell it
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // a connection we are dropping
    }
  }

  /** Stops accepting; the selector thread closes the waiting connections as it ends. */
  void close() {
    closed = true;
    selector.wakeup();
  }

  private void closeAll() {
    for (SelectionKey key : selector.keys()) {
      if (key.channel() instanceof SocketChannel channel) {
        closeQuietly(channel);
      }
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
