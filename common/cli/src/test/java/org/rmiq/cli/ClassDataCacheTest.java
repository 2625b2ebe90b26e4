package org.rmiq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-data archives of plain {@code java -jar} starts (JarRelaunch's cache). */
class ClassDataCacheTest {
  @TempDir Path dir;

  private Map<String, String> env() {
    return Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
  }

  private Path jar(String name) throws Exception {
    return Files.write(dir.resolve(name), new byte[] {'P', 'K', 3, 4});
  }

  private ClassDataCache cache(Path jar) {
    return ClassDataCache.of(env(), jar).orElseThrow();
  }

  /** What a training run leaves: the JVM's archive, and the marker once the worker joined. */
  private static void trained(ClassDataCache cache, long pid, boolean joined) throws Exception {
    Files.write(cache.training(pid), new byte[] {1, 2, 3});
    if (joined) {
      Files.createFile(cache.joinedMarker(pid));
    }
  }

  private List<String> files() throws Exception {
    try (Stream<Path> all = Files.list(dir.resolve("cache/rmiq/class-data"))) {
      return all.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theFolderIsTheUsersCacheOrHomesDotCache() {
    assertEquals(
        Path.of("/x/rmiq/class-data"), ClassDataCache.folder(Map.of("XDG_CACHE_HOME", "/x")));
    assertEquals(
        Path.of("/home/ada/.cache/rmiq/class-data"),
        ClassDataCache.folder(Map.of("XDG_CACHE_HOME", " ", "HOME", "/home/ada")));
  }

  @Test
  void anArchiveIsKeptOnlyFromARunThatJoinedAndIsFreshUntilTheJarChanges() throws Exception {
    Path jar = jar("rmiq-worker.jar");
    ClassDataCache cache = cache(jar);
    assertFalse(cache.fresh(), "nothing made yet");
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve("cache/rmiq/class-data"))));

    trained(cache, 41, false); // --version, or a refused class code: too little loaded
    cache.finishTraining(41);
    assertFalse(cache.fresh());
    assertEquals(List.of(), files(), "nothing left behind");

    trained(cache, 42, true);
    cache.finishTraining(42);
    assertTrue(cache.fresh());
    assertTrue(cache(jar).fresh(), "the next start finds it");
    String archive = cache.archive().getFileName().toString();
    assertTrue(archive.matches("rmiq-worker-[0-9a-f]+\\.jsa"), archive);
    assertEquals(List.of(archive, archive + ".stamp"), files());

    // a rebuilt or downloaded-again jar: same place, another time: not fresh any more
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(10)));
    assertFalse(cache(jar).fresh());
    // another Java, or a garbled stamp, the same
    Files.writeString(cache.archive().resolveSibling(archive + ".stamp"), "jar elsewhere\n");
    assertFalse(cache.fresh());
  }

  @Test
  void atMostThreeArchivesAreKeptTheOldestGoes() throws Exception {
    for (int i = 0; i < 4; i++) {
      ClassDataCache cache = cache(jar("copy" + i + ".jar"));
      trained(cache, 100 + i, true);
      cache.finishTraining(100 + i);
      Files.setLastModifiedTime(cache.archive(), FileTime.from(Instant.now().plusSeconds(i)));
    }
    List<String> archives = files().stream().filter(f -> f.endsWith(".jsa")).toList();
    assertEquals(ClassDataCache.KEPT, archives.size(), files().toString());
    assertTrue(archives.stream().noneMatch(f -> f.startsWith("copy0-")), archives.toString());
    assertEquals(2 * ClassDataCache.KEPT, files().size(), "each with its stamp: " + files());
  }

  @Test
  void whatAKilledTrainingLeftIsSweptOnceItIsOld() throws Exception {
    ClassDataCache cache = cache(jar("rmiq-worker.jar"));
    trained(cache, 7, true); // its first JVM was killed: nobody finished it
    trained(cache, 8, true); // a training running now
    Instant old = Instant.now().minusSeconds(11 * 60);
    Files.setLastModifiedTime(cache.training(7), FileTime.from(old));
    Files.setLastModifiedTime(cache.joinedMarker(7), FileTime.from(old));
    cache.sweep(10);
    String archive = cache.archive().getFileName().toString();
    assertEquals(List.of(archive + ".joined.8", archive + ".new.8"), files());
  }

  @Test
  void aFolderOthersMayWriteInIsNotUsed() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("cache/rmiq/class-data"));
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertTrue(ClassDataCache.of(env(), jar("rmiq-worker.jar")).isEmpty());
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertTrue(ClassDataCache.of(env(), jar("rmiq-worker.jar")).isPresent());
  }

  @Test
  void theRelaunchGetsTheScriptsFlagsFile() throws Exception {
    List<String> expected =
        Files.readAllLines(Path.of("../../scripts/jvm.flags")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .map(l -> "-XX:" + l.strip())
            .toList();
    assertTrue(expected.contains("-XX:Tier4InvocationThreshold=50000"), expected.toString());
    assertEquals(expected, JarRelaunch.scriptFlags());
  }
}
