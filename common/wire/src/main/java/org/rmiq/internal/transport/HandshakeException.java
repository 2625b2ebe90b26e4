package org.rmiq.internal.transport;

import java.io.IOException;

/** The rmiq handshake failed; {@link #reason()} says whether another try could help. */
public final class HandshakeException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why the handshake failed. */
  public enum Reason {
    /** The master refused the worker's token (or a peer did not know the master's). */
    WRONG_TOKEN(true),
    /** The master refused the teacher key a submitter proved (or takes no teacher key). */
    WRONG_TEACHER_KEY(true),
    /** The peer could not prove it knows the token: not a genuine master (or a relay). */
    MASTER_NOT_AUTHENTIC(true),
    /**
     * The peer ended the exchange right after this client proved the token, without proving it
     * itself: a genuine master refuses with a word, so it may be a fake master collecting guesses.
     */
    NO_CONFIRMATION(false),
    /** The port answers, but not as an rmiq master (a web server, another program). */
    NOT_RMIQ(true),
    /**
     * The port accepted the connection but said nothing: not an rmiq master, or (for a master this
     * client reached before) a network that stopped carrying bytes.
     */
    SILENT(false),
    /** The peer speaks another version of rmiq's protocol. */
    OTHER_VERSION(true),
    /** One side runs with --insecure-plaintext and the other does not. */
    OTHER_MODE(true),
    /** The master is at its limit of handshakes in progress; try again shortly. */
    BUSY(false),
    /** The master closed at once: it blocks this address for now (failed attempts), or is busy. */
    CLOSED_AT_ONCE(false),
    /** The peer did not finish in time. */
    TIMEOUT(false),
    /** The peer's messages were malformed, or the connection broke in the middle. */
    MALFORMED(false);

    private final boolean permanent;

    Reason(boolean permanent) {
      this.permanent = permanent;
    }
  }

  private final Reason reason;

  public HandshakeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public HandshakeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Sends the refusal of a wrong code, which the master does only after its tarpit. */
  @FunctionalInterface
  public interface Refusal {
    void send() throws IOException;
  }

  private transient Refusal refusal;

  /** This exception with the refusal still to send (see {@link GuessLog#TARPIT}). */
  HandshakeException refuseLater(Refusal refusal) {
    this.refusal = refusal;
    return this;
  }

  /** The refusal still to send to the peer, or null when it has its answer already. */
  Refusal refusal() {
    return refusal;
  }

  public Reason reason() {
    return reason;
  }

  /** True when another try with the same token and address cannot succeed. */
  public boolean isPermanent() {
    return reason.permanent;
  }
}
