package org.rmiq.internal.wire;

import java.io.Serializable;
import java.util.List;

/** Results a worker session reports; each acknowledges the lease of its task. */
public record ResultBatch(String sessionId, List<TaskResult> results) implements Serializable {

  public ResultBatch {
    Texts.checkShort("session id", sessionId);
    results = List.copyOf(results);
    if (results.size() > TakeRequest.MAX_BATCH) {
      throw new IllegalArgumentException("batch of " + results.size() + " results is too large");
    }
  }
}
