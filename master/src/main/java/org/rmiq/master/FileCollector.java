package org.rmiq.master;

import com.google.common.base.Ticker;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.rmiq.internal.util.SafeFileName;
import org.rmiq.internal.wire.FileChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the files workers send back ({@code --collect DIR}): each arrives as ordered chunks into a
 * hidden temporary file, bounded in size, and is kept only when its SHA-256 matches what the worker
 * computed; then it is moved into place under a safe, unused name. A task's file is kept once,
 * however many workers send it.
 */
final class FileCollector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileCollector.class);
  private static final String PARTIAL_PREFIX = ".rmiq-upload-";

  private final Path folder;
  private final long maxBytes;
  private final Ticker ticker;

  /** Files kept, by task id, with the name they were stored under. */
  private final Map<Long, String> stored = new ConcurrentHashMap<>();

  /** Files being received, by session and task. */
  private final Map<Key, Partial> partials = new ConcurrentHashMap<>();

  private record Key(String sessionId, long taskId) {}

  private FileCollector(Path folder, long maxBytes, Ticker ticker) {
    this.folder = folder;
    this.maxBytes = maxBytes;
    this.ticker = ticker;
  }

  /**
   * Creates the folder if needed.
   *
   * @throws IOException naming the folder when it cannot be created or written
   */
  static FileCollector open(Path folder, long maxBytes, Ticker ticker) throws IOException {
    try {
      Files.createDirectories(folder);
      Path real = folder.toRealPath();
      if (!Files.isWritable(real)) {
        throw new IOException("it is not writable");
      }
      return new FileCollector(real, maxBytes, ticker);
    } catch (IOException e) {
      throw new IOException(
          "--collect "
              + folder
              + ": cannot store files there ("
              + e.getMessage()
              + "); give a folder this user can write",
          e);
    }
  }

  /** The real path of the folder files are stored in. */
  Path folder() {
    return folder;
  }

  /**
   * Takes one chunk.
   *
   * @return the stored file's name after the last chunk, else null
   * @throws IllegalArgumentException when the file is too large (final: the partial file is
   *     deleted)
   * @throws IllegalStateException when a chunk is out of order or the SHA-256 does not match (the
   *     worker may send the file again)
   */
  String accept(FileChunk chunk) throws IOException {
    String already = stored.get(chunk.taskId());
    if (already != null) {
      return chunk.last() ? already : null; // another attempt's copy was kept already
    }
    Key key = new Key(chunk.sessionId(), chunk.taskId());
    if (chunk.offset() == 0) {
      discard(partials.remove(key));
      partials.put(key, Partial.create(folder, chunk.name(), ticker.read()));
    }
    Partial partial = partials.get(key);
    if (partial == null) {
      throw new IllegalStateException(
          "file chunk for task "
              + chunk.taskId()
              + " at offset "
              + chunk.offset()
              + " has no start; send the file again from offset 0");
    }
    synchronized (partial) {
      try {
        partial.append(chunk, maxBytes, ticker.read());
      } catch (RuntimeException | IOException e) {
        discard(partials.remove(key));
        throw e;
      }
      if (!chunk.last()) {
        return null;
      }
      partials.remove(key);
      try {
        return keep(chunk.taskId(), partial, chunk.sha256());
      } finally {
        discard(partial);
      }
    }
  }

  private String keep(long taskId, Partial partial, String claimed) throws IOException {
    String received = partial.finish();
    if (!received.equals(claimed)) {
      throw new IllegalStateException(
          "the file of task "
              + taskId
              + " arrived with SHA-256 "
              + received
              + " ("
              + partial.size
              + " bytes) but the worker sent "
              + claimed
              + "; it was not kept");
    }
    synchronized (stored) {
      String earlier = stored.get(taskId);
      if (earlier != null) {
        return earlier;
      }
      Path target = SafeFileName.moveInto(partial.temp, folder, partial.name);
      String name = target.getFileName().toString();
      stored.put(taskId, name);
      log.debug("master: stored {} ({} bytes) for task {}", name, partial.size, taskId);
      return name;
    }
  }

  /** Deletes files being received that saw no chunk for {@code idleNanos} (a vanished worker). */
  void dropIdle(long idleNanos) {
    long now = ticker.read();
    partials
        .entrySet()
        .removeIf(
            e -> {
              boolean idle = now - e.getValue().touched > idleNanos;
              if (idle) {
                discard(e.getValue());
                log.info(
                    "master: dropped the unfinished file of task {} (no chunk for {} s)",
                    e.getKey().taskId(),
                    TimeUnit.NANOSECONDS.toSeconds(idleNanos));
              }
              return idle;
            });
  }

  @Override
  public void close() {
    partials.values().forEach(FileCollector::discard);
    partials.clear();
  }

  private static void discard(Partial partial) {
    if (partial != null) {
      synchronized (partial) {
        partial.delete();
      }
    }
  }

  /** A file being received: its temporary file, size and running digest. */
  private static final class Partial {
    final Path temp;
    final String name;
    final FileChannel channel;
    final Hasher digest = Hashing.sha256().newHasher();
    long size;
    volatile long touched;

    private Partial(Path temp, String name, FileChannel channel, long touched) {
      this.temp = temp;
      this.name = name;
      this.channel = channel;
      this.touched = touched;
    }

    static Partial create(Path folder, String name, long now) throws IOException {
      Path temp = SafeFileName.createPartial(folder, PARTIAL_PREFIX);
      FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
      return new Partial(temp, name, channel, now);
    }

    void append(FileChunk chunk, long maxBytes, long now) throws IOException {
      if (chunk.offset() != size) {
        throw new IllegalStateException(
            "file chunk for task "
                + chunk.taskId()
                + " starts at "
                + chunk.offset()
                + " but "
                + size
                + " bytes arrived so far; send the file again from"
                + " offset 0");
      }
      if (size + chunk.data().length > maxBytes) {
        throw new IllegalArgumentException(
            "the file of task "
                + chunk.taskId()
                + " is larger"
                + " than the "
                + maxBytes
                + " bytes this master accepts (--collect-max-bytes)");
      }
      ByteBuffer data = ByteBuffer.wrap(chunk.data());
      while (data.hasRemaining()) {
        channel.write(data);
      }
      digest.putBytes(chunk.data());
      size += chunk.data().length;
      touched = now;
    }

    /** Forces the bytes to disk and returns their SHA-256 in hex. */
    String finish() throws IOException {
      channel.force(true);
      channel.close();
      return digest.hash().toString();
    }

    void delete() {
      try {
        channel.close();
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        log.warn("master: could not delete the partial file {}: {}", temp, e.getMessage());
      }
    }
  }
}
