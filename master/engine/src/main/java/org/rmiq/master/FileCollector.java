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
import java.util.concurrent.atomic.AtomicLong;
import org.rmiq.internal.util.SafeFileName;
import org.rmiq.internal.wire.FileChunk;
import org.rmiq.internal.wire.UploadReply;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;
import org.rmiq.util.Sizes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the files workers send back ({@code --collect DIR}): each arrives as ordered chunks into a
 * hidden temporary file, and is kept only when its SHA-256 matches what the worker computed; then
 * it is moved into place under a safe, unused name. A task's file is kept once, however many
 * workers send it, also across a restart with a journal (which records the name).
 *
 * <p>Bounded: one file at most {@code maxBytes}; all files together, stored and in progress, at
 * most {@code maxTotal}; a session at most {@value #PARTIALS_PER_SESSION} files in progress;
 * unfinished files of a vanished worker are deleted.
 */
final class FileCollector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileCollector.class);
  private static final String PARTIAL_PREFIX = ".rmiq-upload-";
  static final int PARTIALS_PER_SESSION = 4;

  /** Called when a file was kept, so a journal can remember the name. */
  interface Kept {
    void kept(long taskId, String name) throws IOException;
  }

  private final Path folder;
  private final long maxBytes;
  private final long maxTotal;
  private final Ticker ticker;
  private final Kept kept;

  /** Bytes stored and in progress, against {@link #maxTotal}. */
  private final AtomicLong used = new AtomicLong();

  /** Files kept, by task id, with the name they were stored under. */
  private final Map<Long, String> stored = new ConcurrentHashMap<>();

  /** Files being received, by session and task. */
  private final Map<Key, Partial> partials = new ConcurrentHashMap<>();

  private record Key(String sessionId, long taskId) {}

  private FileCollector(
      Path folder,
      long maxBytes,
      long maxTotal,
      Ticker ticker,
      Map<Long, String> earlier,
      Kept kept) {
    this.folder = folder;
    this.maxBytes = maxBytes;
    this.maxTotal = maxTotal;
    this.ticker = ticker;
    this.kept = kept;
    this.stored.putAll(earlier);
  }

  /**
   * Creates the folder if needed.
   *
   * @param maxTotal the most bytes to collect in all; 0 for half the disk's free space now
   * @param earlier files a journaled earlier run kept, by task id
   * @throws IOException naming the folder when it cannot be created or written
   */
  static FileCollector open(
      Path folder,
      long maxBytes,
      long maxTotal,
      Ticker ticker,
      Map<Long, String> earlier,
      Kept kept)
      throws IOException {
    try {
      Files.createDirectories(folder);
      Path real = folder.toRealPath();
      if (!Files.isWritable(real)) {
        throw new IOException("it is not writable");
      }
      long total = maxTotal > 0 ? maxTotal : Files.getFileStore(real).getUsableSpace() / 2;
      return new FileCollector(real, maxBytes, total, ticker, earlier, kept);
    } catch (IOException e) {
      throw new IOException(
          "the collect folder "
              + folder
              + " ("
              + SettingNames.of(Setting.COLLECT)
              + ") cannot store files ("
              + e.getMessage()
              + "); give a folder this user can write",
          e);
    }
  }

  /** The real path of the folder files are stored in. */
  Path folder() {
    return folder;
  }

  /** The most bytes it collects in all. */
  long maxTotal() {
    return maxTotal;
  }

  /** Takes one chunk; says whether to go on, what the file was stored as, or why not. */
  UploadReply accept(FileChunk chunk) throws IOException {
    String already = stored.get(chunk.taskId());
    if (already != null) {
      return chunk.last() ? UploadReply.storedAs(already) : UploadReply.more();
    }
    Key key = new Key(chunk.sessionId(), chunk.taskId());
    if (chunk.offset() == 0) {
      discard(partials.remove(key));
      long mine =
          partials.keySet().stream().filter(k -> k.sessionId().equals(chunk.sessionId())).count();
      if (mine >= PARTIALS_PER_SESSION) {
        return UploadReply.refused(
            "this worker already sends "
                + PARTIALS_PER_SESSION
                + " files at once; finish those first",
            false);
      }
      partials.put(key, Partial.create(folder, chunk.name(), ticker.read()));
    }
    Partial partial = partials.get(key);
    if (partial == null) {
      return UploadReply.refused(
          "a chunk of task "
              + chunk.taskId()
              + " at offset "
              + chunk.offset()
              + " has no start; send the file again from offset 0",
          false);
    }
    synchronized (partial) {
      UploadReply refused = partial.check(chunk, maxBytes);
      if (refused == null && used.addAndGet(chunk.data().length) > maxTotal) {
        used.addAndGet(-chunk.data().length);
        refused =
            UploadReply.refused(
                "the master's collect folder holds all it may ("
                    + Sizes.format(maxTotal)
                    + ", "
                    + SettingNames.of(Setting.COLLECT_MAX_TOTAL)
                    + "); this file is not kept",
                true);
      }
      if (refused != null) {
        discard(partials.remove(key));
        return refused;
      }
      try {
        partial.append(chunk, ticker.read());
      } catch (IOException e) {
        discard(partials.remove(key));
        throw new IOException("writing " + partial.temp + ": " + e.getMessage(), e);
      }
      if (!chunk.last()) {
        return UploadReply.more();
      }
      partials.remove(key);
      try {
        return keep(chunk.taskId(), partial, chunk.sha256());
      } finally {
        discard(partial);
      }
    }
  }

  private UploadReply keep(long taskId, Partial partial, String claimed) throws IOException {
    String received = partial.finish();
    if (!received.equals(claimed)) {
      return UploadReply.refused(
          "the file of task "
              + taskId
              + " arrived with SHA-256 "
              + received
              + " ("
              + partial.size
              + " bytes) but the worker sent "
              + claimed
              + "; it was not kept",
          false);
    }
    synchronized (stored) {
      String earlier = stored.get(taskId);
      if (earlier != null) {
        return UploadReply.storedAs(earlier);
      }
      Path target = SafeFileName.moveInto(partial.temp, folder, partial.name);
      partial.moved = true;
      String name = target.getFileName().toString();
      stored.put(taskId, name);
      kept.kept(taskId, name);
      log.debug("master: stored {} ({} bytes) for task {}", name, partial.size, taskId);
      return UploadReply.storedAs(name);
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
    partials.values().forEach(this::discard);
    partials.clear();
  }

  /** Deletes an unfinished file and gives its bytes back to the total. */
  private void discard(Partial partial) {
    if (partial != null) {
      synchronized (partial) {
        if (!partial.moved) {
          used.addAndGet(-partial.size);
        }
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
    boolean moved;
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

    /** Why the chunk cannot be taken, or null. */
    UploadReply check(FileChunk chunk, long maxBytes) {
      if (chunk.offset() != size) {
        return UploadReply.refused(
            "a chunk of task "
                + chunk.taskId()
                + " starts at "
                + chunk.offset()
                + " but "
                + size
                + " bytes arrived so far; send the file again from"
                + " offset 0",
            false);
      }
      if (size + chunk.data().length > maxBytes) {
        return UploadReply.refused(
            "the file of task "
                + chunk.taskId()
                + " is larger than the "
                + Sizes.format(maxBytes)
                + " this master accepts ("
                + SettingNames.of(Setting.COLLECT_MAX_BYTES)
                + ")",
            true);
      }
      return null;
    }

    void append(FileChunk chunk, long now) throws IOException {
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
        if (!moved) {
          Files.deleteIfExists(temp);
        }
      } catch (IOException e) {
        log.warn("master: could not delete the partial file {}: {}", temp, e.getMessage());
      }
    }
  }
}
