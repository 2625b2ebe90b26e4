package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;

/**
 * A worker that accepts code asking for a piece of an offered jar.
 *
 * @param linkId its link
 * @param sha256 the jar
 * @param offset where the piece starts
 */
public record CodeRequest(String linkId, String sha256, long offset) implements Serializable {

  public CodeRequest {
    Texts.checkShort("link id", linkId);
    CodeOffer.checkSha256(sha256);
    if (offset < 0 || offset > CodeOffer.MAX_SIZE) {
      throw new IllegalArgumentException("a code offset of " + offset);
    }
  }

  private Object writeReplace() {
    return Packed.of(Packed.CODE_REQUEST, out -> out.text(linkId).text(sha256).i64(offset));
  }

  static CodeRequest read(Unpacker in) throws InvalidObjectException {
    return new CodeRequest(in.text(Texts.MAX_SHORT), in.text(64), in.i64());
  }
}
