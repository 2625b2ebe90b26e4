package org.rmiq.internal.transport;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;

/**
 * How this JVM reaches one master: the address the user typed, the token, and the timeouts. It
 * lives only in the worker's JVM; stubs refer to it by the master's realm.
 *
 * @param master the address to dial, whatever host the master's stubs name
 * @param token the shared secret
 * @param connectTimeout how long a TCP connect may take
 * @param responseTimeout how long a remote call may wait for its reply
 * @param handshakeDeadline how long the rmiq handshake may take
 * @param tls the TLS context that trusts the master's certificate, or null for no TLS
 */
public record ClientProfile(
    HostPort master,
    Token token,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration handshakeDeadline,
    SSLContext tls) {

  public ClientProfile {
    if (master == null || token == null) {
      throw new IllegalArgumentException("a client profile needs a master address and a token");
    }
    for (Duration d : new Duration[] {connectTimeout, responseTimeout, handshakeDeadline}) {
      if (d == null || d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("timeouts must be positive, was " + d);
      }
    }
  }

  /** Defaults: connect 10 s, response 30 s, handshake 5 s, no TLS. */
  /** The same profile with other timeouts. */
  public ClientProfile withTimeouts(Duration connect, Duration response) {
    return new ClientProfile(master, token, connect, response, handshakeDeadline, tls);
  }

  /** The same profile with TLS (or without, for null). */
  public ClientProfile withTls(SSLContext context) {
    return new ClientProfile(
        master, token, connectTimeout, responseTimeout, handshakeDeadline, context);
  }

  public static ClientProfile of(HostPort master, Token token) {
    return new ClientProfile(
        master,
        token,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        AuthServerSocketFactory.DEFAULT_HANDSHAKE_DEADLINE,
        null);
  }

  @Override
  public String toString() {
    return "ClientProfile[" + master + (tls != null ? ", TLS" : "") + "]"; // never the token
  }
}
