package org.rmiq.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** The file that holds it: {@code token} in this user's rmiq folder ({@link ConfigFolder}). */
  public static Path file(Map<String, String> env) {
    return ConfigFolder.of(env).resolve("token");
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
    PrivateFiles.write(file, token + "\n", true);
    return token;
  }

  /**
   * The token in {@code file}, made now if the file does not exist yet; two commands starting
   * together agree on one.
   */
  public static Loaded loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      String token = generate();
      if (PrivateFiles.write(file, token + "\n", false)) {
        return new Loaded(token, true);
      }
    }
    return new Loaded(Files.readString(file, StandardCharsets.UTF_8).strip(), false);
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
