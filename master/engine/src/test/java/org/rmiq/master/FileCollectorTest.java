package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.internal.wire.FileChunk;
import org.rmiq.internal.wire.UploadReply;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

class FileCollectorTest {
  @TempDir Path dir;
  private final ManualTicker ticker = new ManualTicker();
  private final Map<Long, String> journaled = new HashMap<>();

  private FileCollector open(Path folder, long maxBytes, long maxTotal) throws Exception {
    return FileCollector.open(folder, maxBytes, maxTotal, ticker, Map.of(), journaled::put);
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static String sha(byte[] b) {
    return Hashing.sha256().hashBytes(b).toString();
  }

  private static FileChunk chunk(
      String session, long task, String name, long offset, byte[] data, boolean last, String sha) {
    return new FileChunk("link", session, task, name, offset, data, last, sha);
  }

  /** Sends {@code data} as in-order chunks; returns what the last one answered. */
  private static UploadReply send(
      FileCollector files, String session, long task, String name, byte[] data, String sha)
      throws Exception {
    int offset = 0;
    while (true) {
      int end = Math.min(data.length, offset + FileChunk.MAX_BYTES);
      boolean last = end == data.length;
      UploadReply reply =
          files.accept(
              chunk(
                  session,
                  task,
                  name,
                  offset,
                  Arrays.copyOfRange(data, offset, end),
                  last,
                  last ? sha : null));
      if (last || reply.refusal() != null) {
        return reply;
      }
      assertEquals(UploadReply.more(), reply);
      offset = end;
    }
  }

  private List<String> names(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void storesAVerifiedFileOncePerTaskUnderASafeNameAndJournalsTheName() throws Exception {
    Path folder = dir.resolve("collected");
    FileCollector files = open(folder, 10 << 20, 0);
    byte[] data = bytes(3 * FileChunk.MAX_BYTES + 17);
    assertEquals("photo.jpg", send(files, "s1", 1, "photo.jpg", data, sha(data)).stored());
    assertArrayEquals(data, Files.readAllBytes(folder.resolve("photo.jpg")));
    assertEquals("photo.jpg", send(files, "s2", 1, "photo.jpg", data, sha(data)).stored());
    assertEquals("photo-1.jpg", send(files, "s1", 2, "photo.jpg", data, sha(data)).stored());
    assertEquals("_.._evil", send(files, "s1", 3, "../../evil", bytes(5), sha(bytes(5))).stored());
    assertEquals(List.of("_.._evil", "photo-1.jpg", "photo.jpg"), names(folder));
    assertEquals(Map.of(1L, "photo.jpg", 2L, "photo-1.jpg", 3L, "_.._evil"), journaled);
  }

  @Test
  void aFileAnEarlierRunKeptIsNotStoredAgain() throws Exception {
    FileCollector files =
        FileCollector.open(dir, 10 << 20, 0, ticker, Map.of(7L, "cat.jpg"), journaled::put);
    assertEquals("cat.jpg", send(files, "s", 7, "cat.jpg", bytes(9), sha(bytes(9))).stored());
    assertEquals(List.of(), names(dir));
  }

  @Test
  void aChecksumMismatchKeepsNothingAndMaySendAgain() throws Exception {
    FileCollector files = open(dir, 10 << 20, 0);
    UploadReply reply = send(files, "s", 1, "a.jpg", bytes(1000), sha(bytes(999)));
    assertTrue(reply.refusal().contains("it was not kept"), reply.refusal());
    assertFalse(reply.permanent());
    assertEquals(List.of(), names(dir));
  }

  @Test
  void aTooLargeFileIsRefusedForGoodAndRemoved() throws Exception {
    FileCollector files = open(dir, FileChunk.MAX_BYTES, 0);
    byte[] data = bytes(FileChunk.MAX_BYTES + 1);
    UploadReply reply = send(files, "s", 1, "big.bin", data, sha(data));
    assertTrue(
        reply.refusal().contains("(" + SettingNames.of(Setting.COLLECT_MAX_BYTES) + ")"),
        reply.refusal());
    assertTrue(reply.permanent());
    assertEquals(List.of(), names(dir));
  }

  @Test
  void allFilesTogetherStayUnderTheTotalLimitUnfinishedOnesIncluded() throws Exception {
    FileCollector files = open(dir, 10 << 20, 1000);
    assertEquals("a", send(files, "s", 1, "a", bytes(600), sha(bytes(600))).stored());
    UploadReply full = send(files, "s", 2, "b", bytes(600), sha(bytes(600)));
    assertTrue(full.refusal().contains(SettingNames.of(Setting.COLLECT_MAX_TOTAL)), full.refusal());
    assertTrue(full.permanent());
    files.accept(chunk("s", 3, "c", 0, new byte[300], false, null)); // 900 of 1000 in use
    UploadReply overUnfinished = files.accept(chunk("t", 4, "d", 0, new byte[200], false, null));
    assertTrue(overUnfinished.refusal().contains(SettingNames.of(Setting.COLLECT_MAX_TOTAL)));
    ticker.advance(java.time.Duration.ofMinutes(1));
    files.dropIdle(TimeUnit.SECONDS.toNanos(20));
    assertEquals(
        UploadReply.more(),
        files.accept(chunk("t", 4, "d", 0, new byte[200], false, null)),
        "a dropped unfinished file gives its bytes back");
  }

  @Test
  void aSessionSendsAtMostFourFilesAtOnce() throws Exception {
    FileCollector files = open(dir, 10 << 20, 0);
    for (int task = 1; task <= FileCollector.PARTIALS_PER_SESSION; task++) {
      assertEquals(
          UploadReply.more(), files.accept(chunk("s", task, "f", 0, new byte[10], false, null)));
    }
    UploadReply fifth = files.accept(chunk("s", 99, "f", 0, new byte[10], false, null));
    assertTrue(fifth.refusal().contains("already sends 4 files at once"), fifth.refusal());
    assertEquals(
        UploadReply.more(), files.accept(chunk("other", 99, "f", 0, new byte[10], false, null)));
  }

  @Test
  void chunksOutOfOrderAreRefusedAndIdleOnesDropped() throws Exception {
    FileCollector files = open(dir, 10 << 20, 0);
    assertTrue(
        files
            .accept(chunk("s", 1, "a", 5, new byte[3], false, null))
            .refusal()
            .contains("has no start"));
    files.accept(chunk("s", 2, "b", 0, new byte[3], false, null));
    assertTrue(
        files
            .accept(chunk("s", 2, "b", 10, new byte[3], false, null))
            .refusal()
            .contains("starts at 10"));
    files.accept(chunk("s", 3, "c", 0, new byte[3], false, null));
    assertEquals(1, names(dir).size(), "one partial file, hidden");
    ticker.advance(java.time.Duration.ofMinutes(1));
    files.dropIdle(TimeUnit.SECONDS.toNanos(20));
    assertEquals(List.of(), names(dir));
  }
}
