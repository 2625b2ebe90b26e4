package org.rmiq.internal.wire;

/**
 * The master does not know the worker session a call names: it expired (the worker was silent
 * longer than its lease) or the master restarted. The worker should join again.
 */
public final class UnknownSessionException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnknownSessionException(String sessionId) {
    super(
        "the master does not know worker session "
            + sessionId
            + " (it expired or the master restarted); join again");
  }
}
