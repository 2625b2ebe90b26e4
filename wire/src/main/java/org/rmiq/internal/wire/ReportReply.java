package org.rmiq.internal.wire;

import java.io.Serializable;

/**
 * The master's acknowledgement of a result batch.
 *
 * @param accepted results collected for the first time
 * @param duplicates results for tasks already collected, discarded
 * @param phase the master's phase after this batch
 */
public record ReportReply(int accepted, int duplicates, MasterPhase phase) implements Serializable {

  public ReportReply {
    if (accepted < 0 || duplicates < 0 || phase == null) {
      throw new IllegalArgumentException(
          "bad report reply: accepted " + accepted + ", duplicates " + duplicates + ", " + phase);
    }
  }
}
