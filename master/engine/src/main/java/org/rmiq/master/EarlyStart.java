package org.rmiq.master;

/**
 * Starts, before anything else in the JVM, the part of a master's start that runs on its own: the
 * TLS key, certificate and context (a fifth of a second, cold). It is its own class, without a
 * logger, so that calling it does not first set up logging (as loading {@link Master} does): on a
 * two-core machine the certificate then finishes while the command line is parsed instead of after.
 */
public final class EarlyStart {
  private EarlyStart() {}

  /** Begins; a master started later in this JVM takes what it made. Safe to call twice. */
  public static void begin() {
    MasterCertificate.startEarly();
  }
}
