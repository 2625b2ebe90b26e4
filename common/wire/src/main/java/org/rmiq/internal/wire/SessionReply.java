package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;

/**
 * The master's answer to a session.
 *
 * @param sessionId the session; tasks taken are leased to it
 * @param workerName the name the master shows for it (unique among its workers)
 */
public record SessionReply(String sessionId, String workerName) implements Serializable {

  public SessionReply {
    Texts.checkShort("session id", sessionId);
    Texts.checkName("worker name", workerName);
  }

  private Object writeReplace() {
    return Packed.of(Packed.SESSION_REPLY, out -> out.text(sessionId).text(workerName));
  }

  static SessionReply read(Unpacker in) throws InvalidObjectException {
    return new SessionReply(in.text(Texts.MAX_SHORT), in.text(Texts.MAX_SHORT));
  }
}
