package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;

/**
 * A piece of an offered jar.
 *
 * @param data its bytes, at most {@link FileChunk#MAX_BYTES}
 * @param last whether it ends the jar
 */
public record CodeChunk(byte[] data, boolean last) implements Serializable {

  public CodeChunk {
    if (data == null || data.length > FileChunk.MAX_BYTES) {
      throw new IllegalArgumentException(
          "a code chunk must carry at most " + FileChunk.MAX_BYTES + " bytes");
    }
  }

  private Object writeReplace() {
    return Packed.of(Packed.CODE_CHUNK, out -> out.blob(data).bool(last));
  }

  static CodeChunk read(Unpacker in) throws InvalidObjectException {
    return new CodeChunk(in.blob(FileChunk.MAX_BYTES), in.bool());
  }
}
