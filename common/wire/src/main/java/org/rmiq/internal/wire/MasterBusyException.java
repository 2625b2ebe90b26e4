package org.rmiq.internal.wire;

/**
 * The master cannot take the call now, for a reason that passes: it has as many workers as it
 * takes, or it cannot record results (its journal's disk is full). The caller keeps what it sent
 * and tries again later; the message says what the master is waiting for.
 */
public final class MasterBusyException extends Exception {
  private static final long serialVersionUID = 1L;

  public MasterBusyException(String message) {
    super(message);
  }
}
