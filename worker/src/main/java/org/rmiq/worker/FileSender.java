package org.rmiq.worker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rmiq.internal.wire.FileChunk;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.internal.wire.UnknownSessionException;

/**
 * Sends a file a task produced to a master that collects files, in chunks of at most {@link
 * FileChunk#MAX_BYTES}, so no call carries a whole file and memory stays bounded. The last chunk
 * names the SHA-256 computed while the file was downloaded; the master keeps the file only if what
 * it received matches.
 */
final class FileSender {
  private FileSender() {}

  /**
   * @return the name the master stored the file under
   * @throws IllegalArgumentException when the master refuses the file for good (e.g. too large)
   * @throws IllegalStateException when the master could not keep it this time (e.g. a mismatch)
   */
  static String send(MasterService master, String sessionId, long taskId, Path file, String sha256)
      throws IOException, UnknownSessionException {
    String name = file.getFileName().toString();
    long size = Files.size(file);
    try (InputStream in = Files.newInputStream(file)) {
      long offset = 0;
      while (true) {
        int length = (int) Math.min(FileChunk.MAX_BYTES, size - offset);
        byte[] data = in.readNBytes(length);
        if (data.length != length) {
          throw new IOException(file + " shrank while it was being sent");
        }
        boolean last = offset + length == size;
        String stored =
            master.upload(
                new FileChunk(sessionId, taskId, name, offset, data, last, last ? sha256 : null));
        if (last) {
          return stored;
        }
        offset += length;
      }
    }
  }
}
