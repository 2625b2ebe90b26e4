package org.rmiq.internal.transport;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;

/**
 * Runs rmiq's handshake once in a background thread as a JVM starts, so the first real one runs on
 * loaded, initialised and partly compiled code: cold, TLS and the EC J-PAKE cost a joining worker
 * and the master each a few tenths of a second in the interpreter, which is most of a join.
 *
 * <p>A worker (or client) runs the PAKE's two sides against each other in memory, with a random
 * password, and sets up its TLS context, while its main thread parses the command line and loads
 * the rest. A master, once it listens, runs a whole handshake (TLS with its own certificate, then
 * the PAKE) between two threads over a loopback socket of its own, never its port: nothing is
 * counted, logged or kept. Both are best effort: a failure only means the first join runs cold.
 */
public final class HandshakeWarmUp {
  private static final AtomicBoolean CLIENT = new AtomicBoolean();
  private static final AtomicBoolean MASTER = new AtomicBoolean();

  private HandshakeWarmUp() {}

  /** A worker's or client's warm-up, once per JVM. */
  public static void startForClient() {
    if (CLIENT.compareAndSet(false, true)) {
      start("rmiq-handshake-warm-up", HandshakeWarmUp::clientSide);
    }
  }

  /**
   * Warms the JDK's AES-GCM (see {@link CipherWarmUp}) once per JVM: for a client that has just
   * joined an encrypted master, before its first large exchanges; not earlier, where it would take
   * the CPU the rest of the join needs.
   */
  public static void startCipher(ClientProfile joined) {
    if (!joined.plaintext()) {
      CipherWarmUp.startOnce();
    }
  }

  /** A master's warm-up with its own keys, once per JVM. */
  static void startForMaster(MasterKeys keys) {
    if (MASTER.compareAndSet(false, true)) {
      start("rmiq-handshake-warm-up", () -> masterSide(keys));
    }
  }

  private static void start(String name, ThrowingRunnable work) {
    if (Boolean.getBoolean("rmiq.noHandshakeWarmUp")) {
      return; // for measuring what the warm-up is worth (BENCHMARKS.md)
    }
    Thread thread =
        new Thread(
            () -> {
              try {
                work.run();
              } catch (Exception | LinkageError e) {
                // a warm-up only: the first real handshake runs cold
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static void clientSide() throws Exception {
    TlsChannel.prepareClient();
    char[] password = randomPassword();
    PipedInputStream toServer = new PipedInputStream(1 << 16);
    PipedInputStream toClient = new PipedInputStream(1 << 16);
    DataOutputStream clientOut =
        new DataOutputStream(new BufferedOutputStream(new PipedOutputStream(toServer)));
    DataOutputStream serverOut =
        new DataOutputStream(new BufferedOutputStream(new PipedOutputStream(toClient)));
    Thread server =
        new Thread(
            () -> {
              try {
                Pake.serve(
                    new DataInputStream(toServer),
                    serverOut,
                    password,
                    null,
                    TlsChannel.PLAINTEXT_BINDING,
                    new byte[Pake.REALM]);
              } catch (IOException | RuntimeException e) {
                // a warm-up only
              }
            },
            "rmiq-handshake-warm-up-peer");
    server.setDaemon(true);
    server.start();
    Pake.join(
        new DataInputStream(toClient),
        clientOut,
        password,
        TlsChannel.PLAINTEXT_BINDING,
        PeerRole.CLASS);
    server.join(10_000);
  }

  private static void masterSide(MasterKeys keys) throws Exception {
    if (keys.tls() == null) {
      return; // plaintext: nothing slow to warm
    }
    try (ServerSocket loopback = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server =
          new Thread(
              () -> {
                try (Socket raw = loopback.accept()) {
                  SSLSocket ssl = TlsChannel.serve(raw, keys.tls());
                  Pake.serve(
                      new DataInputStream(ssl.getInputStream()),
                      new DataOutputStream(new BufferedOutputStream(ssl.getOutputStream())),
                      keys.token(),
                      null,
                      keys.binding(),
                      keys.realm());
                } catch (IOException | RuntimeException e) {
                  // a warm-up only
                }
              },
              "rmiq-handshake-warm-up-peer");
      server.setDaemon(true);
      server.start();
      try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), loopback.getLocalPort())) {
        SSLSocket ssl = TlsChannel.join(raw);
        Pake.join(
            new DataInputStream(ssl.getInputStream()),
            new DataOutputStream(new BufferedOutputStream(ssl.getOutputStream())),
            keys.token(),
            TlsChannel.peerBinding(ssl),
            PeerRole.CLASS);
      }
      server.join(10_000);
    }
  }

  /** Made in the warm-up's thread when first used: a SecureRandom costs the main thread ~4 ms. */
  private static final class Randomness {
    static final SecureRandom RANDOM = new SecureRandom();
  }

  private static char[] randomPassword() {
    char[] password = new char[24];
    for (int i = 0; i < password.length; i++) {
      password[i] = (char) ('a' + Randomness.RANDOM.nextInt(26));
    }
    return password;
  }
}
