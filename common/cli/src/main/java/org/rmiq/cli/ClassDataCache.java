package org.rmiq.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a downloaded jar keeps its class-data archive (AppCDS) for this Java: {@code
 * $XDG_CACHE_HOME/rmiq/class-data}, else {@code $HOME/.cache/rmiq/class-data}, one archive per jar
 * location and Java, each with a stamp naming the jar (path, size, time) and the Java it was made
 * from and for. The scripts keep theirs beside the jars (lib.sh); this is for {@code java -jar}.
 *
 * <p>An archive is class data the JVM maps as if it were its own: the folder must be this user's
 * and writable by nobody else, or it is not used. At most {@value #KEPT} archives are kept; the
 * oldest goes when a new one arrives.
 */
final class ClassDataCache {
  static final int KEPT = 3;
  private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private final Path folder;
  private final Path archive;
  private final Path stamp;
  private final String identity;

  private ClassDataCache(Path folder, Path jar, String identity) {
    this.folder = folder;
    String file = jar.getFileName().toString();
    String name = file.endsWith(".jar") ? file.substring(0, file.length() - 4) : file;
    // one file per jar location and Java; the stamp says which jar (size, time) it holds
    String key =
        Integer.toHexString(
            jar.toString().concat("|").concat(System.getProperty("java.home")).hashCode());
    String base = name.concat("-").concat(key).concat(".jsa");
    this.archive = folder.resolve(base);
    this.stamp = folder.resolve(base.concat(".stamp"));
    this.identity = identity;
  }

  /** The cache for {@code jar}, or empty when there is no private folder to keep it in. */
  static Optional<ClassDataCache> of(Map<String, String> env, Path jar) {
    try {
      Path folder = folder(env);
      // not PrivateFiles: its SecureRandom would be made before the second JVM can start
      Files.createDirectories(
          folder,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      if (!isPrivate(folder)) {
        return Optional.empty();
      }
      Path real = jar.toRealPath();
      BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
      // no String.format or "+" here: both start method-handle machinery, which costs a plain JVM
      // (the first of the two a relaunch starts) tens of milliseconds before the second can start
      String identity =
          String.join(
              "\n",
              "jar ".concat(real.toString()),
              "size ".concat(Long.toString(attributes.size())),
              "modified ".concat(Long.toString(attributes.lastModifiedTime().toMillis())),
              "java ".concat(System.getProperty("java.home")),
              "vm ".concat(System.getProperty("java.vm.version")),
              "");
      return Optional.of(new ClassDataCache(folder, real, identity));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Optional.empty(); // no cache: the jar runs as it always did
    }
  }

  static Path folder(Map<String, String> env) {
    return ConfigFolder.xdg(env, "XDG_CACHE_HOME", ".cache").resolve("class-data");
  }

  /** This user's, and nobody else may write in it; true where there are no POSIX modes. */
  private static boolean isPrivate(Path folder) throws IOException {
    PosixFileAttributes posix;
    try {
      posix = Files.readAttributes(folder, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException notPosix) {
      return Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS);
    }
    return posix.isDirectory()
        && posix.owner().getName().equals(System.getProperty("user.name"))
        && Collections.disjoint(posix.permissions(), WRITABLE_BY_OTHERS);
  }

  Path archive() {
    return archive;
  }

  /** True when the archive was made from this jar by this Java. */
  boolean fresh() {
    try {
      return Files.size(archive) > 0
          && identity.equals(Files.readString(stamp, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return false;
    }
  }

  /** Where a training run by the process {@code pid} writes its archive. */
  Path training(long pid) {
    return folder.resolve(
        archive.getFileName().toString().concat(".new.").concat(Long.toString(pid)));
  }

  /** The file a training run makes once its worker has joined a master (see JarRelaunch). */
  Path joinedMarker(long pid) {
    return folder.resolve(
        archive.getFileName().toString().concat(".joined.").concat(Long.toString(pid)));
  }

  /**
   * After a training run: its archive replaces the old one when the run joined a master (a run that
   * only printed its version, or was refused, loaded too little to be worth keeping); otherwise it
   * is deleted. Never throws: an archive is only ever an optimisation.
   */
  void finishTraining(long pid) {
    Path trained = training(pid);
    Path marker = joinedMarker(pid);
    try {
      if (Files.exists(marker) && Files.isRegularFile(trained) && Files.size(trained) > 0) {
        PrivateFiles.replace(trained, archive);
        PrivateFiles.write(stamp, identity, true);
        prune();
      }
    } catch (IOException | RuntimeException e) {
      // kept as it was; the next start trains again
    } finally {
      try {
        Files.deleteIfExists(trained);
        Files.deleteIfExists(marker);
      } catch (IOException e) {
        // a leftover is replaced or removed by the next training of this jar
      }
    }
  }

  /**
   * Deletes what trainings whose first JVM was killed left behind (an archive the second JVM wrote
   * as it stopped, a marker) once it is older than {@code minutes}: nobody else will.
   */
  void sweep(long minutes) {
    long before = System.currentTimeMillis() - minutes * 60_000;
    try (DirectoryStream<Path> all = Files.newDirectoryStream(folder, "*.jsa.{new,joined}.*")) {
      for (Path left : all) {
        if (modified(left) < before) {
          Files.deleteIfExists(left);
        }
      }
    } catch (IOException | RuntimeException e) {
      // tried again at the next training
    }
  }

  /** Keeps the {@value #KEPT} newest archives (and their stamps). */
  private void prune() throws IOException {
    List<Path> archives = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(folder, "*.jsa")) {
      all.forEach(archives::add);
    }
    if (archives.size() <= KEPT) {
      return;
    }
    archives.sort(Comparator.comparing(ClassDataCache::modified).reversed());
    for (Path old : archives.subList(KEPT, archives.size())) {
      Files.deleteIfExists(old);
      Files.deleteIfExists(old.resolveSibling(old.getFileName() + ".stamp"));
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
