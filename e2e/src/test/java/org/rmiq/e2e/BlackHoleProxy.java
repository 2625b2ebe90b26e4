package org.rmiq.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback that forwards to a target (recording what it forwards) until told to
 * black-hole: then it keeps every connection open but silently drops all bytes both ways, like a
 * pulled network cable.
 */
final class BlackHoleProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean blackHole;

  /** Every byte forwarded in either direction, for tests that check what is on the wire. */
  private final java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();

  BlackHoleProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "black-hole-proxy-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** What crossed the proxy so far, as ISO-8859-1 text. */
  String wire() {
    synchronized (wire) {
      return wire.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  void blackHole() {
    blackHole = true;
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
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(server);
        pump(client, server);
        pump(server, client);
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
            "black-hole-proxy-drain");
    t.setDaemon(true);
    t.start();
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  if (!blackHole) {
                    synchronized (wire) {
                      wire.write(buffer, 0, n);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                }
              } catch (IOException closed) {
                // one side hung up
              }
            },
            "black-hole-proxy-pump");
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
