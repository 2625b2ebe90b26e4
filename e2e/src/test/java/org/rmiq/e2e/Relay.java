package org.rmiq.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback between workers and a master, the way a network path or an attacker on it
 * would carry the bytes. It records what it forwards; it can black-hole (keep every connection open
 * and drop all bytes, like a pulled cable), connect to the master from another source address (like
 * a NAT), and rewrite one byte of what workers send on the first few connections (like an attacker
 * on the path).
 */
final class Relay implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final InetAddress source;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean blackHole;
  private volatile int tamperConnections;
  private volatile long tamperOffset;
  private final AtomicInteger tampered = new AtomicInteger();

  /** When workers last sent bytes with no answer since (System.nanoTime), or 0 when answered. */
  private volatile long unansweredSince;

  Relay(int targetPort) throws IOException {
    this(targetPort, InetAddress.getLoopbackAddress());
  }

  /**
   * @param source the address the relay's connections to the master come from
   */
  Relay(int targetPort, InetAddress source) throws IOException {
    this.targetPort = targetPort;
    this.source = source;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "relay-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** What crossed the relay so far, as ISO-8859-1 text. */
  String wire() {
    synchronized (wire) {
      return wire.toString(StandardCharsets.ISO_8859_1);
    }
  }

  void blackHole() {
    blackHole = true;
  }

  /**
   * Resets every connection open now, both ways (like a Wi-Fi roam or a NAT that forgot them); new
   * connections go through as before.
   */
  void cutAll() throws IOException {
    for (Socket s : List.copyOf(sockets)) {
      if (!s.isClosed()) {
        s.setSoLinger(true, 0); // a reset, not a polite close
        s.close();
      }
      sockets.remove(s);
    }
  }

  /**
   * Whether a worker's call has waited for the master's answer for at least {@code nanos}: a long
   * poll in the master, a call in flight.
   */
  boolean callWaitingFor(long nanos) {
    long since = unansweredSince;
    return since != 0 && System.nanoTime() - since >= nanos;
  }

  /** How many connections workers opened through the relay so far. */
  int connections() {
    return connections.get();
  }

  /**
   * Flips the bits of the worker-to-master byte at {@code offset} of each of the next {@code count}
   * connections.
   */
  void tamper(int count, long offset) {
    tamperOffset = offset;
    tamperConnections = count;
  }

  /** How many bytes were rewritten so far. */
  int tampered() {
    return tampered.get();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        if (blackHole) {
          drain(client); // a new connection goes nowhere, as on a dead link
          continue;
        }
        Socket server = new Socket();
        sockets.add(server);
        server.bind(new InetSocketAddress(source, 0));
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        boolean tamper = connections.getAndIncrement() < tamperConnections;
        pump(client, server, tamper ? tamperOffset : -1, true);
        pump(server, client, -1, false);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void drain(Socket from) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream()) {
                in.transferTo(OutputStream.nullOutputStream());
              } catch (IOException closed) {
                // the peer gave up
              }
            },
            "relay-drain");
    t.setDaemon(true);
    t.start();
  }

  private void pump(Socket from, Socket to, long tamperAt, boolean fromWorker) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              long position = 0;
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  if (blackHole) {
                    continue;
                  }
                  if (tamperAt >= position && tamperAt < position + n) {
                    buffer[(int) (tamperAt - position)] ^= (byte) 0xff;
                    tampered.incrementAndGet();
                  }
                  position += n;
                  synchronized (wire) {
                    wire.write(buffer, 0, n);
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                  unansweredSince = fromWorker ? System.nanoTime() : 0;
                }
              } catch (IOException closed) {
                // one side hung up
              }
            },
            "relay-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
