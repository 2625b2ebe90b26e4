package org.rmiq.internal.wire;

/** Where the master's job stands, as workers see it. */
public enum MasterPhase {
  /** Tasks may still arrive: keep taking. */
  RUNNING,
  /** The job is complete and the master is about to stop; a worker may leave. */
  FINISHED
}
