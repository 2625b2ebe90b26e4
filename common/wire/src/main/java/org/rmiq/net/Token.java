package org.rmiq.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The shared secret that lets a worker join a master: the password of the handshake's
 * password-authenticated key exchange. It never crosses the wire, in any form a listener could test
 * a guess against; {@link #toString} never shows it.
 */
public final class Token {
  /** The environment variable the commands read the token from. */
  public static final String ENV = "RMIQ_TOKEN";

  /** Tokens shorter than this draw a warning: a stranger could guess them online in time. */
  public static final int SHORT = 8;

  private final char[] text;

  private Token(String text) {
    this.text = text.toCharArray();
  }

  /**
   * A token from its text form, surrounding blanks removed.
   *
   * @throws IllegalArgumentException when it is empty or has line breaks inside
   */
  public static Token of(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the token is empty");
    }
    String stripped = text.strip();
    if (stripped.chars().anyMatch(c -> c == '\n' || c == '\r')) {
      throw new IllegalArgumentException("the token has a line break inside; put it on one line");
    }
    return new Token(stripped);
  }

  /**
   * The token in the first line of {@code file}.
   *
   * @param flag how the user named the file, for messages (e.g. {@code --token-file class.token})
   * @throws IllegalArgumentException naming the file when it is missing, unreadable or empty
   */
  public static Token fromFile(Path file, String flag) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        throw new IllegalArgumentException(flag + " is empty; put the token in it");
      }
      return of(text.lines().findFirst().orElse(text));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(flag + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(flag + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * A warning when {@code file} can be read by other users of this machine (POSIX systems), or
   * empty when it is private or permissions cannot be read here.
   */
  public static Optional<String> permissionWarning(Path file, String flag) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.GROUP_READ)
          || permissions.contains(PosixFilePermission.OTHERS_READ)) {
        return Optional.of(
            flag
                + " can be read by other users of this machine; make it private with: chmod 600 "
                + file);
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system (e.g. Windows), or unreadable: nothing to warn about here
    }
    return Optional.empty();
  }

  /** The token's characters (a copy), the PAKE's password. */
  public char[] chars() {
    return text.clone();
  }

  /** True when the token is short enough to be guessed online in time; commands warn. */
  public boolean isShort() {
    return text.length < SHORT;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Token t
        && MessageDigest.isEqual(
            new String(text).getBytes(StandardCharsets.UTF_8),
            new String(t.text).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(text);
  }

  @Override
  public String toString() {
    return "Token[redacted]";
  }
}
