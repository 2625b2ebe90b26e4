package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;

/**
 * What the master did with a file chunk: nothing to say yet (more chunks to come), the file stored
 * (after the last chunk), or a refusal, final or worth another try.
 *
 * @param stored the name the file was stored under, after the last chunk; else null
 * @param refusal why the chunk was refused, or null
 * @param permanent for a refusal: sending the file again cannot help
 */
public record UploadReply(String stored, String refusal, boolean permanent)
    implements Serializable {

  public UploadReply {
    if (stored != null && refusal != null) {
      throw new IllegalArgumentException("an upload reply both stored and refused");
    }
    if (refusal != null && refusal.length() > 4096) {
      throw new IllegalArgumentException("an upload refusal of " + refusal.length() + " chars");
    }
  }

  /** Take the next chunk. */
  public static UploadReply more() {
    return new UploadReply(null, null, false);
  }

  public static UploadReply storedAs(String name) {
    return new UploadReply(name, null, false);
  }

  public static UploadReply refused(String why, boolean permanent) {
    return new UploadReply(null, why, permanent);
  }

  private Object writeReplace() {
    return Packed.of(Packed.UPLOAD_REPLY, out -> out.text(stored).text(refusal).bool(permanent));
  }

  static UploadReply read(Unpacker in) throws InvalidObjectException {
    return new UploadReply(in.text(Texts.MAX_SHORT), in.text(4096), in.bool());
  }
}
