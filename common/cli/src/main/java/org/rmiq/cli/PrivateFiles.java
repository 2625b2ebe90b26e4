package org.rmiq.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/** Secrets in files only their owner can read: made whole, mode 600 in a folder of mode 700. */
final class PrivateFiles {
  private static final SecureRandom random = new SecureRandom();

  private PrivateFiles() {}

  /**
   * Writes {@code text} to a private temporary file beside {@code file}, then puts it in place
   * whole: replacing the old one, or (without {@code replace}) only if none exists, so two commands
   * starting together agree on one.
   *
   * @return false when, without {@code replace}, another process made the file first
   */
  static boolean write(Path file, String text, boolean replace) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    createPrivate(folder, true);
    Path temp = folder.resolve(".new-" + Long.toUnsignedString(random.nextLong(), 36));
    createPrivate(temp, false);
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      if (replace) {
        replace(temp, file);
        return true;
      }
      try {
        Files.createLink(file, temp); // atomic, and fails if the file exists
        return true;
      } catch (FileAlreadyExistsException raced) {
        return false;
      } catch (UnsupportedOperationException | IOException noLinks) {
        if (Files.exists(file)) {
          return false;
        }
        Files.move(temp, file);
        return true;
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Puts {@code from} in place of {@code to} whole (atomically where the file system can). */
  static void replace(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Creates a folder (mode 700) or an empty file (mode 600) where POSIX permissions exist. */
  private static void createPrivate(Path path, boolean folder) throws IOException {
    try {
      if (folder) {
        Files.createDirectories(
            path,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createFile(
            path,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
    } catch (UnsupportedOperationException notPosix) {
      if (folder) {
        Files.createDirectories(path);
      } else {
        Files.createFile(path);
      }
    }
  }
}
