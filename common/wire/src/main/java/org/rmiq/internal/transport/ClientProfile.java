package org.rmiq.internal.transport;

import java.time.Duration;
import java.util.Objects;
import org.rmiq.net.HostPort;
import org.rmiq.net.TeacherKey;
import org.rmiq.net.Token;

/**
 * How this JVM reaches one master: the address the user typed, the token, the timeouts, and whether
 * the connection is encrypted. It lives only in the client's JVM; stubs refer to it by the master's
 * realm.
 *
 * @param master the address to dial, whatever host the master's stubs name
 * @param token the shared secret
 * @param connectTimeout how long a TCP connect may take
 * @param responseTimeout how long a remote call may wait for its reply
 * @param handshakeDeadline how long the rmiq handshake may take
 * @param plaintext true only for {@code --insecure-plaintext}: no TLS around the PAKE
 * @param teacherKey the teacher key to prove instead of the token (a submitter's connection), or
 *     null
 */
public record ClientProfile(
    HostPort master,
    Token token,
    TeacherKey teacherKey,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration handshakeDeadline,
    boolean plaintext) {

  /** The default time a peer has to complete the handshake. */
  public static final Duration DEFAULT_HANDSHAKE_DEADLINE = Duration.ofSeconds(5);

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

  /** Connect 10 s, response 30 s, handshake 5 s, encrypted. */
  public static ClientProfile of(HostPort master, Token token) {
    return new ClientProfile(
        master,
        token,
        null,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        DEFAULT_HANDSHAKE_DEADLINE,
        false);
  }

  /** The same profile with other timeouts. */
  public ClientProfile withTimeouts(Duration connect, Duration response) {
    return new ClientProfile(
        master, token, teacherKey, connect, response, handshakeDeadline, plaintext);
  }

  /** The same profile without encryption (for measurements: {@code --insecure-plaintext}). */
  public ClientProfile withPlaintext(boolean plaintext) {
    return new ClientProfile(
        master, token, teacherKey, connectTimeout, responseTimeout, handshakeDeadline, plaintext);
  }

  /** The same profile proving {@code key} (the teacher's) instead of the token. */
  public ClientProfile withTeacherKey(TeacherKey key) {
    return new ClientProfile(
        master, token, key, connectTimeout, responseTimeout, handshakeDeadline, plaintext);
  }

  @Override
  public String toString() {
    return "ClientProfile["
        + master
        + (teacherKey != null ? ", teacher" : "")
        + (plaintext ? ", plaintext" : "")
        + "]"; // never a secret
  }

  // Written out rather than generated: a record's generated equals and hashCode link through
  // method handles on their first call, about 15 ms of a cold worker's join, and these are the
  // first ones a join calls (the worker's table of links; the RMI endpoint table).
  @Override
  public boolean equals(Object o) {
    return o instanceof ClientProfile other
        && master.equals(other.master)
        && token.equals(other.token)
        && Objects.equals(teacherKey, other.teacherKey)
        && connectTimeout.equals(other.connectTimeout)
        && responseTimeout.equals(other.responseTimeout)
        && handshakeDeadline.equals(other.handshakeDeadline)
        && plaintext == other.plaintext;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        master, token, teacherKey, connectTimeout, responseTimeout, handshakeDeadline, plaintext);
  }
}
