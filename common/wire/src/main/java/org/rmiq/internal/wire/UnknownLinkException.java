package org.rmiq.internal.wire;

/**
 * The master does not know the link a call names: it expired (the worker was silent longer than its
 * lease) or the master restarted. The worker joins again.
 */
public final class UnknownLinkException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnknownLinkException() {
    super(
        "the master does not know this worker's link (it expired or the master restarted);"
            + " join again");
  }
}
