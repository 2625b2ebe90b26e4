package org.rmiq.cli.master.job;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a job's inputs from {@code @FILE} or {@code -} (stdin): one per line, blank lines and
 * {@code #} comments skipped, each kept with its line number for error messages.
 */
public final class InputLines {
  private InputLines() {}

  /** A non-blank, non-comment line: its text (trimmed) and where it came from. */
  record Line(String text, String where) {}

  /**
   * @param spec {@code @FILE} or {@code -}
   * @throws IllegalArgumentException when the file is missing or unreadable
   */
  static List<Line> read(String spec, Sources sources) {
    String name = spec.equals("-") ? "stdin" : spec.substring(1);
    byte[] bytes = sources.read(spec);
    return read(
        new BufferedReader(
            new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)),
        name);
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
