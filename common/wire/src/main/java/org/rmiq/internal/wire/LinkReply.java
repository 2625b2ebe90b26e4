package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.util.List;

/**
 * The master's answer to a link: the id every later call names, and the rules of the link.
 *
 * @param linkId the link; it is a secret between the worker and the master (TLS keeps it so)
 * @param instance names this run of the master: a worker that finds another after a reconnect knows
 *     the master restarted, and that results of the old run's tasks are not wanted
 * @param heartbeatMillis the longest a link may go without calling; exchanges renew it
 * @param leaseMillis how long a silent link keeps its sessions' tasks before they are re-queued
 * @param collectFiles whether the master collects the files tasks produce ({@code --collect})
 * @param servedHosts hosts of the master's own {@code --serve} folder: downloads from them are
 *     allowed even though they are private addresses
 */
public record LinkReply(
    String linkId,
    String instance,
    long heartbeatMillis,
    long leaseMillis,
    boolean collectFiles,
    List<String> servedHosts)
    implements Serializable {

  public LinkReply {
    Texts.checkShort("link id", linkId);
    Texts.checkShort("master instance", instance);
    if (heartbeatMillis <= 0 || leaseMillis <= heartbeatMillis) {
      throw new IllegalArgumentException(
          "heartbeat "
              + heartbeatMillis
              + " ms must be positive and shorter than the lease "
              + leaseMillis
              + " ms");
    }
    servedHosts = List.copyOf(servedHosts);
    servedHosts.forEach(h -> Texts.checkShort("served host", h));
  }

  private Object writeReplace() {
    return Packed.of(
        Packed.LINK_REPLY,
        out ->
            out.text(linkId)
                .text(instance)
                .i64(heartbeatMillis)
                .i64(leaseMillis)
                .bool(collectFiles)
                .texts(servedHosts));
  }

  static LinkReply read(Unpacker in) throws InvalidObjectException {
    return new LinkReply(
        in.text(Texts.MAX_SHORT),
        in.text(Texts.MAX_SHORT),
        in.i64(),
        in.i64(),
        in.bool(),
        in.texts(16, Texts.MAX_SHORT));
  }
}
