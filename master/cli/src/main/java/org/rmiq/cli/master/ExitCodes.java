package org.rmiq.cli.master;

/** The exit codes of the master and submit commands, documented in their help and the README. */
public final class ExitCodes {
  private ExitCodes() {}

  /** Every task succeeded (and a reduce step's answer checked out). */
  public static final int OK = 0;

  /** Some tasks failed (or a reduce step's answer is wrong). */
  public static final int SOME_FAILED = 1;

  /** Bad usage or input: nothing ran. */
  public static final int USAGE = 2;

  /** Timed out: no result for --timeout while workers were connected, or none joined in time. */
  public static final int TIMED_OUT = 3;

  /** Could not start (a port in use), or reach a session master. */
  public static final int CANNOT_START = 4;

  /** A file could not be written (--out, the journal, --collect): a full disk, say. */
  public static final int WRITE_FAILED = 5;

  /** Interrupted (Ctrl-C). */
  public static final int INTERRUPTED = 130;
}
