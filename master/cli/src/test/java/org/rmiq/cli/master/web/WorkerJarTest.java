package org.rmiq.cli.master.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker jar's facts for the join page: the hash the build wrote when there is one, the jar's
 * own SHA-256 when there is none or it is not a SHA-256 (a build that skipped the step), nothing
 * when the master was built without its worker. {@code JoinPageIT} checks the built jar end to end.
 */
class WorkerJarTest {
  @TempDir Path dir;

  /** 200 KB of bytes: more than one read of the hashing loop. */
  private final byte[] jarBytes = new byte[200_000];

  {
    new Random(7).nextBytes(jarBytes);
  }

  @Test
  void aJarWithoutItsHashFileIsHashedWhenFirstAsked() throws Exception {
    WorkerJar jar = jarIn(folderWith(null));
    assertTrue(jar.present());
    assertEquals(sha256(jarBytes), jar.sha256());
    assertEquals(jarBytes.length, jar.length());
    try (InputStream in = jar.open()) {
      assertArrayEquals(jarBytes, in.readAllBytes());
    }
  }

  @Test
  void theHashTheBuildWroteIsUsedWithoutHashingTheJar() throws Exception {
    String built = "0123456789abcdef".repeat(4); // not the jar's: proves it was read, not computed
    WorkerJar jar = jarIn(folderWith(built + "\n"));
    assertEquals(built, jar.sha256());
    assertEquals(jarBytes.length, jar.length());
  }

  @Test
  void aHashFileThatIsNotASha256IsIgnoredAndTheJarHashed() throws Exception {
    WorkerJar jar = jarIn(folderWith("not a hash"));
    assertEquals(sha256(jarBytes), jar.sha256());
  }

  @Test
  void aMasterBuiltWithoutItsWorkerSaysSo() {
    WorkerJar jar = new WorkerJar(name -> null);
    assertFalse(jar.present());
    assertNull(jar.sha256());
    assertEquals(-1, jar.length());
    IOException e = assertThrows(IOException.class, jar::open);
    assertTrue(e.getMessage().contains("built without its worker jar"), e.getMessage());
  }

  /** A folder holding the jar where the master's jar carries it, with a hash file if given. */
  private Path folderWith(String hashFile) throws IOException {
    Path jar = dir.resolve(WorkerJar.RESOURCE.substring(1));
    Files.createDirectories(jar.getParent());
    Files.write(jar, jarBytes);
    if (hashFile != null) {
      Files.writeString(dir.resolve(WorkerJar.HASH_RESOURCE.substring(1)), hashFile);
    }
    return dir;
  }

  /** A {@link WorkerJar} that finds its resources in {@code folder}. */
  private static WorkerJar jarIn(Path folder) {
    return new WorkerJar(
        name -> {
          Path file = folder.resolve(name.substring(1));
          try {
            return Files.exists(file) ? file.toUri().toURL() : null;
          } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
