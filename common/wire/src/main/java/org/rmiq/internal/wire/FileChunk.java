package org.rmiq.internal.wire;

import java.io.InvalidObjectException;
import java.io.Serializable;

/**
 * One piece of a file a worker sends to a master that collects files ({@code --collect}). A file
 * travels as chunks of at most {@link #MAX_BYTES} in order, so no call carries a whole file; the
 * last chunk names the SHA-256 the master verifies before it keeps the file. Only the session
 * holding the task's lease may send it.
 *
 * @param linkId the sending worker's link
 * @param sessionId the sending worker's session
 * @param taskId the task that produced the file
 * @param name the file name the worker chose (the master makes it safe again)
 * @param offset where {@code data} starts in the file; a chunk at 0 starts the file afresh
 * @param data the bytes (not copied: do not change the array after building the chunk)
 * @param last whether this chunk ends the file
 * @param sha256 on the last chunk, the whole file's SHA-256 in lower-case hex; else null
 */
public record FileChunk(
    String linkId,
    String sessionId,
    long taskId,
    String name,
    long offset,
    byte[] data,
    boolean last,
    String sha256)
    implements Serializable {

  /** The most bytes one chunk carries (below the allow-list's array limit). */
  public static final int MAX_BYTES = 512 * 1024;

  public FileChunk {
    Texts.checkShort("link id", linkId);
    Texts.checkShort("session id", sessionId);
    Texts.checkShort("file name", name);
    if (taskId < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "file chunk for task " + taskId + " at " + offset + ": task id and offset must be >= 0");
    }
    if (data == null || data.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "file chunk for task " + taskId + " must carry at most " + MAX_BYTES + " bytes");
    }
    if (last != (sha256 != null) || (sha256 != null && !CodeOffer.isSha256(sha256))) {
      throw new IllegalArgumentException(
          "file chunk for task "
              + taskId
              + ": the last chunk, and only it, carries a SHA-256 of 64 lower-case hex digits");
    }
  }

  private Object writeReplace() {
    return Packed.of(
        Packed.FILE_CHUNK,
        out ->
            out.text(linkId)
                .text(sessionId)
                .i64(taskId)
                .text(name)
                .i64(offset)
                .blob(data)
                .bool(last)
                .text(sha256));
  }

  static FileChunk read(Unpacker in) throws InvalidObjectException {
    return new FileChunk(
        in.text(Texts.MAX_SHORT),
        in.text(Texts.MAX_SHORT),
        in.i64(),
        in.text(Texts.MAX_SHORT),
        in.i64(),
        in.blob(MAX_BYTES),
        in.bool(),
        in.text(64));
  }
}
