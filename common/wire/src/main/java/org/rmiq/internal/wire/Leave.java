package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.util.List;

/**
 * Sessions leaving (a worker stopped): the tasks they hold go back to the queue at once. With
 * {@code link} true the whole link closes (the worker JVM stops).
 *
 * @param linkId the link
 * @param sessionIds the sessions that leave
 * @param link whether the link closes too
 */
public record Leave(String linkId, List<String> sessionIds, boolean link) implements Serializable {

  public Leave {
    Texts.checkShort("link id", linkId);
    sessionIds = List.copyOf(sessionIds);
    if (sessionIds.size() > ExchangeRequest.MAX_SESSIONS) {
      throw new IllegalArgumentException("too many sessions");
    }
  }

  private Object writeReplace() {
    return Packed.of(Packed.LEAVE, out -> out.text(linkId).texts(sessionIds).bool(link));
  }

  static Leave read(Unpacker in) throws InvalidObjectException {
    return new Leave(
        in.text(Texts.MAX_SHORT),
        in.texts(ExchangeRequest.MAX_SESSIONS, Texts.MAX_SHORT),
        in.bool());
  }
}
