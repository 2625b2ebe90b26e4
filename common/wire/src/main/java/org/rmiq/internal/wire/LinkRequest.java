package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;

/**
 * A worker JVM opening its link to the master: one link carries the calls of every worker session
 * in that JVM.
 *
 * @param protocol the wire protocol the worker speaks ({@link MasterService#PROTOCOL})
 * @param host the worker machine's host name, for people reading the master's output
 * @param acceptsCode whether the worker runs code the master ships ({@code --accept-code})
 */
public record LinkRequest(int protocol, String host, boolean acceptsCode) implements Serializable {

  public LinkRequest {
    Texts.checkName("worker host", host);
  }

  private Object writeReplace() {
    return Packed.of(Packed.LINK_REQUEST, out -> out.i32(protocol).text(host).bool(acceptsCode));
  }

  static LinkRequest read(Unpacker in) throws InvalidObjectException {
    return new LinkRequest(in.i32(), in.text(Texts.MAX_SHORT), in.bool());
  }
}
