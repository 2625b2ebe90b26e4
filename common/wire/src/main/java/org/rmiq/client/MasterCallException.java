package org.rmiq.client;

/**
 * A call to a master that did not get through, with a sentence a person can act on (it names the
 * address and the likely fix) and what the caller should do about it.
 */
public final class MasterCallException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What a failed call means for the caller. */
  public enum Kind {
    /**
     * The master refused our credential (the class code, or the teacher key), or the peer could not
     * prove it is a genuine master for it: stop.
     */
    CREDENTIAL_REFUSED,
    /** Not an rmiq master, another version or mode, or the master refused the request: stop. */
    REFUSED,
    /** Nothing answered, or the connection broke: try again later. */
    UNREACHABLE,
    /** The master is at a limit, or shuts this address out for a while: try again shortly. */
    BUSY
  }

  private final Kind kind;

  MasterCallException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
