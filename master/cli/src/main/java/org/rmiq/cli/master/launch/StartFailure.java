package org.rmiq.cli.master.launch;

/** Why a master did not start, in a sentence (exit 4). */
final class StartFailure extends Exception {
  private static final long serialVersionUID = 1L;

  StartFailure(String message) {
    super(message);
  }
}
