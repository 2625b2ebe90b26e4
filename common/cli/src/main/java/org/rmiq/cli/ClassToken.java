package org.rmiq.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * This machine's class token: four common words joined by hyphens ({@code tulip-river-mango-
 * seven}), made at first use and kept in a private file, so a teacher writes the same code on the
 * board all term and workers waiting between masters rejoin the next one by themselves.
 *
 * <p>The words come from the EFF's large list (words of 3 to 6 letters, 2,851 of them), so a token
 * carries 4 × log2(2851) ≈ 45.9 bits and is at most 27 characters long.
 */
public final class ClassToken {
  /** How many words a token has. */
  public static final int WORDS = 4;

  private static final List<String> DICTIONARY = loadWords();
  private static final SecureRandom random = new SecureRandom();

  private ClassToken() {}

  /**
   * The file that holds it: {@code $XDG_CONFIG_HOME/rmiq/token}, else {@code ~/.config/rmiq/token}.
   */
  public static Path file(Map<String, String> env) {
    String config = env.get("XDG_CONFIG_HOME");
    Path base =
        config != null && !config.isBlank()
            ? Path.of(config)
            : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("rmiq").resolve("token");
  }

  /** A fresh token of {@value #WORDS} random words. */
  public static String generate() {
    return random
        .ints(WORDS, 0, DICTIONARY.size())
        .mapToObj(DICTIONARY::get)
        .collect(Collectors.joining("-"));
  }

  /** The number of words a token is drawn from. */
  public static int dictionarySize() {
    return DICTIONARY.size();
  }

  /**
   * Writes a new token to {@code file} (mode 600 in a folder of mode 700), replacing any, and
   * returns it.
   *
   * @throws IOException naming the file when it cannot be written
   */
  public static String renew(Path file) throws IOException {
    String token = generate();
    write(file, token, true);
    return token;
  }

  /**
   * The token in {@code file}, made now if the file does not exist yet; two commands starting
   * together agree on one.
   */
  public static Loaded loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      String token = generate();
      if (write(file, token, false)) {
        return new Loaded(token, true);
      }
    }
    return new Loaded(Files.readString(file, StandardCharsets.UTF_8).strip(), false);
  }

  /**
   * Writes {@code token} to a private temporary file beside {@code file}, then puts it in place
   * whole: replacing the old one, or (without {@code replace}) only if none exists.
   *
   * @return false when, without {@code replace}, another process made the file first
   */
  private static boolean write(Path file, String token, boolean replace) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    createPrivate(folder, true);
    Path temp = folder.resolve(".token-" + Long.toUnsignedString(random.nextLong(), 36));
    createPrivate(temp, false);
    try {
      Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
      if (replace) {
        try {
          Files.move(
              temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
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

  /** A class token as read or made. */
  public record Loaded(String token, boolean made) {}

  private static List<String> loadWords() {
    try (InputStream in = ClassToken.class.getResourceAsStream("words.txt")) {
      if (in == null) {
        throw new IllegalStateException("the class-token word list is missing (a broken build?)");
      }
      List<String> words =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
              .lines()
              .filter(line -> !line.isBlank() && !line.startsWith("#"))
              .map(String::strip)
              .toList();
      if (words.size() < 1024) {
        throw new IllegalStateException("the class-token word list has only " + words.size());
      }
      return words;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
