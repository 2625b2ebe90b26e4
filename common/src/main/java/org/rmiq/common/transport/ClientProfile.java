package org.rmiq.common.transport;

import java.time.Duration;
import org.rmiq.common.HostPort;
import org.rmiq.common.Token;

/**
 * How this JVM reaches one master: the address the user typed, the token, and the timeouts.
 * It lives only in the worker's JVM; stubs refer to it by the master's realm.
 *
 * @param master the address to dial, whatever host the master's stubs name
 * @param token the shared secret
 * @param connectTimeout how long a TCP connect may take
 * @param responseTimeout how long a remote call may wait for its reply
 * @param handshakeDeadline how long the rmiq handshake may take
 */
public record ClientProfile(HostPort master, Token token, Duration connectTimeout,
    Duration responseTimeout, Duration handshakeDeadline) {

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

  /** Defaults: connect 10 s, response 30 s, handshake 5 s. */
  public static ClientProfile of(HostPort master, Token token) {
    return new ClientProfile(master, token, Duration.ofSeconds(10), Duration.ofSeconds(30),
        AuthServerSocketFactory.DEFAULT_HANDSHAKE_DEADLINE);
  }

  @Override
  public String toString() {
    return "ClientProfile[" + master + "]"; // never the token
  }
}
