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
 * @param codeFrom the fingerprint of the only teacher key whose signed code it runs ({@code
 *     --accept-code-from}), or empty for any (or none)
 * @param previousLink the secret id of the link this JVM had with the master before its connection
 *     broke, or empty: the master keeps that link (its sessions and leases) when it still has it,
 *     so results of tasks under way are not refused after a reconnect
 */
public record LinkRequest(
    int protocol, String host, boolean acceptsCode, String codeFrom, String previousLink)
    implements Serializable {

  public LinkRequest {
    Texts.checkName("worker host", host);
    if (codeFrom == null || codeFrom.length() > 64) {
      throw new IllegalArgumentException("a link request's code pin of up to 64 characters");
    }
    if (previousLink == null || previousLink.length() > 64) {
      throw new IllegalArgumentException("a link request's previous link of up to 64 characters");
    }
  }

  private Object writeReplace() {
    return Packed.of(
        Packed.LINK_REQUEST,
        out -> out.i32(protocol).text(host).bool(acceptsCode).text(codeFrom).text(previousLink));
  }

  static LinkRequest read(Unpacker in) throws InvalidObjectException {
    return new LinkRequest(in.i32(), in.text(Texts.MAX_SHORT), in.bool(), in.text(64), in.text(64));
  }
}
