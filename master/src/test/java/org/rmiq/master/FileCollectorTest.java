package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.internal.wire.FileChunk;

class FileCollectorTest {
  @TempDir Path dir;
  private final ManualTicker ticker = new ManualTicker();

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static String sha(byte[] b) {
    return Hashing.sha256().hashBytes(b).toString();
  }

  /** Sends {@code data} as in-order chunks; returns what the last one answered. */
  private static String send(
      FileCollector files, String session, long task, String name, byte[] data, String sha)
      throws Exception {
    int offset = 0;
    while (true) {
      int end = Math.min(data.length, offset + FileChunk.MAX_BYTES);
      boolean last = end == data.length;
      String stored =
          files.accept(
              new FileChunk(
                  session,
                  task,
                  name,
                  offset,
                  Arrays.copyOfRange(data, offset, end),
                  last,
                  last ? sha : null));
      if (last) {
        return stored;
      }
      assertNull(stored);
      offset = end;
    }
  }

  private List<String> names(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void storesAVerifiedFileOncePerTaskUnderASafeName() throws Exception {
    Path folder = dir.resolve("collected");
    FileCollector files = FileCollector.open(folder, 10 << 20, ticker);
    byte[] data = bytes(3 * FileChunk.MAX_BYTES + 17);
    assertEquals("photo.jpg", send(files, "s1", 1, "photo.jpg", data, sha(data)));
    assertArrayEquals(data, Files.readAllBytes(folder.resolve("photo.jpg")));
    // A second attempt at the same task (another worker) keeps the first copy.
    assertEquals("photo.jpg", send(files, "s2", 1, "photo.jpg", data, sha(data)));
    // Another task with the same name gets a suffix; a hostile name stays inside.
    assertEquals("photo-1.jpg", send(files, "s1", 2, "photo.jpg", data, sha(data)));
    assertEquals("_.._evil", send(files, "s1", 3, "../../evil", bytes(5), sha(bytes(5))));
    assertEquals(List.of("_.._evil", "photo-1.jpg", "photo.jpg"), names(folder));
  }

  @Test
  void aChecksumMismatchKeepsNothing() throws Exception {
    FileCollector files = FileCollector.open(dir, 10 << 20, ticker);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> send(files, "s", 1, "a.jpg", bytes(1000), sha(bytes(999))));
    assertTrue(e.getMessage().contains("it was not kept"), e.getMessage());
    assertEquals(List.of(), names(dir));
  }

  @Test
  void aTooLargeFileIsRefusedAndRemoved() throws Exception {
    FileCollector files = FileCollector.open(dir, FileChunk.MAX_BYTES, ticker);
    byte[] data = bytes(FileChunk.MAX_BYTES + 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> send(files, "s", 1, "big.bin", data, sha(data)));
    assertTrue(e.getMessage().contains("(--collect-max-bytes)"), e.getMessage());
    assertEquals(List.of(), names(dir));
  }

  @Test
  void chunksOutOfOrderAreRefusedAndIdleOnesDropped() throws Exception {
    FileCollector files = FileCollector.open(dir, 10 << 20, ticker);
    assertThrows(
        IllegalStateException.class,
        () -> files.accept(new FileChunk("s", 1, "a", 5, new byte[3], false, null)));
    files.accept(new FileChunk("s", 2, "b", 0, new byte[3], false, null));
    assertThrows(
        IllegalStateException.class,
        () -> files.accept(new FileChunk("s", 2, "b", 10, new byte[3], false, null)));
    files.accept(new FileChunk("s", 3, "c", 0, new byte[3], false, null));
    assertEquals(1, names(dir).size(), "one partial file, hidden");
    ticker.advance(java.time.Duration.ofMinutes(1));
    files.dropIdle(TimeUnit.SECONDS.toNanos(20));
    assertEquals(List.of(), names(dir));
  }
}
