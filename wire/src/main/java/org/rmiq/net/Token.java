package org.rmiq.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The shared secret that lets a worker join a master. It keys the HMAC handshake and never crosses
 * the wire; {@link #toString} never shows it.
 */
public final class Token {
  /** The environment variable both commands read the token from. */
  public static final String ENV = "RMIQ_TOKEN";

  private final byte[] key;

  private Token(byte[] key) {
    this.key = key;
  }

  /**
   * A token from its text form.
   *
   * @throws IllegalArgumentException when it is empty or has line breaks inside
   */
  public static Token of(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the token is empty");
    }
    if (text.strip().chars().anyMatch(c -> c == '\n' || c == '\r')) {
      throw new IllegalArgumentException("the token has a line break inside; put it on one line");
    }
    return new Token(text.strip().getBytes(StandardCharsets.UTF_8));
  }

  /** A fresh random token: 32 bytes from {@link SecureRandom}, in URL-safe base64. */
  public static String generate() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The token from {@value #ENV} in {@code env}, else from {@code file} (its first line), else
   * empty.
   *
   * @throws IllegalArgumentException when the file is missing, unreadable or empty
   */
  public static Optional<Token> load(Map<String, String> env, Path file) {
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(of(fromEnv));
    }
    if (file == null) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        throw new IllegalArgumentException(
            "--token-file " + file + " is empty; put the token in it");
      }
      return Optional.of(of(text));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--token-file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("--token-file " + file + " cannot be read: " + e, e);
    }
  }

  /**
   * A warning when {@code file} can be read by other users of this machine (POSIX systems), or
   * empty when it is private or permissions cannot be read here.
   */
  public static Optional<String> permissionWarning(Path file) {
    try {
      var permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
          || permissions.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
        return Optional.of(
            "--token-file "
                + file
                + " can be read by other users of this"
                + " machine; make it private with: chmod 600 "
                + file);
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system (e.g. Windows), or unreadable: nothing to warn about here
    }
    return Optional.empty();
  }

  /** The HMAC key; a copy, so callers cannot change the token. */
  public byte[] key() {
    return key.clone();
  }

  /** True when the token is short enough to guess; the commands warn about it. */
  public boolean isWeak() {
    return key.length < 16;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Token t && java.security.MessageDigest.isEqual(key, t.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "Token[redacted]";
  }
}
