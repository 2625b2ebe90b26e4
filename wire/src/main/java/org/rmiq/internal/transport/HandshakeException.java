package org.rmiq.internal.transport;

import java.io.IOException;

/** The rmiq handshake failed; {@link #reason()} says whether retrying could help. */
public final class HandshakeException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why the handshake failed. */
  public enum Reason {
    /** The master refused the worker's token, or a peer did not know the master's. */
    WRONG_TOKEN,
    /** The peer accepted us but could not prove it knows the token: not a genuine master. */
    MASTER_NOT_AUTHENTIC,
    /** The peer does not speak this version of rmiq's handshake, or TLS failed. */
    PROTOCOL,
    /** One side uses TLS and the other does not. */
    TLS_MISMATCH,
    /** The peer did not finish in time. */
    TIMEOUT
  }

  private final Reason reason;

  public HandshakeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** True when another try with the same token cannot succeed. */
  public boolean isPermanent() {
    return reason != Reason.TIMEOUT;
  }
}
