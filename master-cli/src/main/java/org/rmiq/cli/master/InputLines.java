package org.rmiq.cli.master;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a job's inputs from {@code @FILE} or {@code -} (stdin): one per line, blank lines and
 * {@code #} comments skipped, each kept with its line number for error messages.
 */
final class InputLines {
  private InputLines() {}

  /** A non-blank, non-comment line: its text (trimmed) and where it came from. */
  record Line(String text, String where) {}

  /**
   * @param spec {@code @FILE} or {@code -}
   * @throws IllegalArgumentException when the file is missing or unreadable
   */
  static List<Line> read(String spec, InputStream stdin) {
    if (spec.equals("-")) {
      return read(
          new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)), "stdin");
    }
    Path file = Path.of(spec.substring(1));
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(reader, file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "input file "
              + file
              + " does not exist (from '"
              + spec
              + "'); give an existing file after @",
          e);
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException(
          "cannot read input file " + file + ": " + e.getMessage(), e);
    }
  }

  static boolean isSource(String spec) {
    return spec.equals("-") || (spec.startsWith("@") && spec.length() > 1);
  }

  private static List<Line> read(BufferedReader reader, String name) {
    List<Line> lines = new ArrayList<>();
    try {
      int number = 0;
      for (String line; (line = reader.readLine()) != null; ) {
        number++;
        String text = line.strip();
        if (!text.isEmpty() && !text.startsWith("#")) {
          lines.add(new Line(text, name + " line " + number));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }
}
