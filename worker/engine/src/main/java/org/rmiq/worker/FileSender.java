package org.rmiq.worker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rmiq.internal.wire.FileChunk;
import org.rmiq.internal.wire.UploadReply;

/**
 * Sends a file a task produced to a master that collects files, in chunks of at most {@link
 * FileChunk#MAX_BYTES}, so no call carries a whole file and memory stays bounded. The last chunk
 * names the SHA-256 computed while the file was downloaded; the master keeps the file only if what
 * it received matches.
 */
final class FileSender {
  private FileSender() {}

  /** Delivers one chunk to the master, through the worker's link. */
  interface Uploader {
    UploadReply upload(long offset, byte[] data, boolean last, String sha256) throws Exception;
  }

  /** Why the master did not keep the file. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean permanent;

    Refused(String why, boolean permanent) {
      super(why);
      this.permanent = permanent;
    }
  }

  /**
   * @return the name the master stored the file under
   * @throws Refused when the master refused the file, for good or for now
   * @throws IOException when the file cannot be read here
   * @throws Exception when the call to the master failed
   */
  static String send(Uploader uploader, Path file, String sha256) throws Exception {
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
        UploadReply reply = uploader.upload(offset, data, last, last ? sha256 : null);
        if (reply.refusal() != null) {
          throw new Refused(reply.refusal(), reply.permanent());
        }
        if (last) {
          if (reply.stored() == null) {
            throw new Refused("the master did not say where it stored the file", false);
          }
          return reply.stored();
        }
        offset += length;
      }
    }
  }
}
