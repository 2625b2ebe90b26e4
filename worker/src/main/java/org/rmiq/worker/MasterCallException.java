package org.rmiq.worker;

/** A call to the master failed; {@link #kind()} says what the worker should do about it. */
public final class MasterCallException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, from the worker's point of view. */
  enum Kind {
    /** The master refused our token, or the peer is not a genuine master: never retried. */
    TOKEN_REFUSED,
    /** Nothing answered at the address, or the connection broke: retry with back-off. */
    UNREACHABLE,
    /** The master answered but dropped the connection before the handshake finished (busy). */
    BUSY,
    /** The master answered but does not know our session (it restarted): join again. */
    SESSION_LOST,
    /** The master refused the request itself (e.g. another rmiq version): never retried. */
    REFUSED
  }

  private final Kind kind;

  MasterCallException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }
}
