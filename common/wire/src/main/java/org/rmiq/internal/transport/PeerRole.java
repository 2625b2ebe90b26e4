package org.rmiq.internal.transport;

/**
 * Which credential a connection to the master proved in its handshake: the class code (a worker, a
 * status reader, a student) or the teacher key (who may also submit, cancel and ship code).
 *
 * <p>RMI runs each call on the thread that read it from its connection, the way the JDK itself
 * remembers a call's client host, so the master's guarded connections note their role on the
 * reading thread ({@link #noteReading}) and the service asks {@link #current} while it serves the
 * call. A thread that never read from a guarded connection (a call within the master's own JVM) has
 * the least privilege.
 */
public enum PeerRole {
  /** Proved the class code. */
  CLASS,
  /** Proved the teacher key. */
  TEACHER;

  private static final ThreadLocal<PeerRole> READING = new ThreadLocal<>();

  /** The role of the connection the current call came in on; {@link #CLASS} when unknown. */
  public static PeerRole current() {
    PeerRole role = READING.get();
    return role == null ? CLASS : role;
  }

  /** The current thread reads a call from a connection that proved {@code role}. */
  static void noteReading(PeerRole role) {
    READING.set(role);
  }

  /** The participant name this role gives its side of the PAKE. */
  String participant() {
    return this == TEACHER ? Pake.TEACHER : Pake.WORKER;
  }
}
