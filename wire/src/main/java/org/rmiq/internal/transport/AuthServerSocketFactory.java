package org.rmiq.internal.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The master's server socket factory: one authenticated listening socket that the registry and
 * every exported object share.
 *
 * <p>RMI shares a listening socket between exports whose factories are equal; one instance is used
 * for all of a master's exports, and equality is identity, so two masters in one JVM never share a
 * socket. This factory stays on the master: it is never serialized.
 */
public final class AuthServerSocketFactory implements RMIServerSocketFactory {
  /** The longest a peer may take to complete the handshake. */
  public static final Duration DEFAULT_HANDSHAKE_DEADLINE = Duration.ofSeconds(5);

  private final byte[] key;
  private final byte[] realm;
  private final InetAddress bindAddress;
  private final Duration deadline;
  private final SSLContext tls;
  private volatile AuthenticatingServerSocket last;
  private final java.util.concurrent.atomic.AtomicInteger opened =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * @param key the token's bytes
   * @param realm the master's public instance id (see {@link Handshake#newRealm()})
   * @param bindAddress where to listen, or null for every interface
   * @param deadline how long a peer may take to complete the handshake (at most 10 s)
   * @param tls TLS around the handshake ({@link Tls#forMaster}), or null for none
   */
  public AuthServerSocketFactory(
      byte[] key, byte[] realm, InetAddress bindAddress, Duration deadline, SSLContext tls) {
    if (deadline.isNegative()
        || deadline.isZero()
        || deadline.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("handshake deadline must be in (0, 10s], was " + deadline);
    }
    this.key = key.clone();
    this.realm = realm.clone();
    this.bindAddress = bindAddress;
    this.deadline = deadline;
    this.tls = tls;
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    ServerSocket listener = new ServerSocket(port, 128, bindAddress);
    AuthenticatingServerSocket socket;
    try {
      socket = new AuthenticatingServerSocket(listener, key, realm, deadline, tls);
    } catch (IOException | RuntimeException e) {
      listener.close();
      throw e;
    }
    last = socket;
    opened.incrementAndGet();
    return socket;
  }

  /** The port of the socket this factory last opened, or -1 before it opened one. */
  public int boundPort() {
    AuthenticatingServerSocket socket = last;
    return socket == null ? -1 : socket.getLocalPort();
  }

  /** How many listening sockets this factory opened; one when RMI shares it as intended. */
  public int socketsOpened() {
    return opened.get();
  }

  /** Connections that failed the handshake on the current socket. */
  public long failedHandshakes() {
    AuthenticatingServerSocket socket = last;
    return socket == null ? 0 : socket.failedHandshakes();
  }
}
