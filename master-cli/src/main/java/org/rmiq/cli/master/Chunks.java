package org.rmiq.cli.master;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Splits the map-reduce demos' input into one task per chunk: ranges, or pieces of text. */
final class Chunks {
  /** A wordcount chunk's most characters, well under a task input's limit. */
  static final int MAX_TEXT_CHUNK = 256 * 1024;

  private Chunks() {}

  /** {@code sum A..B}: N near-equal ranges whose sums add up to the whole. */
  static Job rangeSum(String range, int chunks) {
    int dots = range.indexOf("..", range.startsWith("-") ? 1 : 0);
    if (dots < 0) {
      throw new IllegalArgumentException(
          "sum takes a range A..B, e.g. sum 1..1000000000; got '" + range + "'");
    }
    BigInteger from = integer(range.substring(0, dots), range);
    BigInteger to = integer(range.substring(dots + 2), range);
    if (from.compareTo(to) > 0) {
      throw new IllegalArgumentException(
          "sum: range '" + range + "' is empty; write the" + " smaller number first");
    }
    BigInteger count = to.subtract(from).add(BigInteger.ONE);
    BigInteger n = count.min(BigInteger.valueOf(chunks));
    List<String> inputs = new ArrayList<>();
    BigInteger start = from;
    for (BigInteger i = BigInteger.ZERO; i.compareTo(n) < 0; i = i.add(BigInteger.ONE)) {
      // Chunk i ends where the (i+1)-th share of the count ends, so sizes differ by at most 1.
      BigInteger end =
          from.add(count.multiply(i.add(BigInteger.ONE)).divide(n)).subtract(BigInteger.ONE);
      inputs.add(start + ".." + end);
      start = end.add(BigInteger.ONE);
    }
    return new Job("rangesum", inputs, "sum " + range + " in " + inputs.size() + " chunk(s)");
  }

  /** {@code wordcount @FILES}: the text cut into about N pieces at line ends. */
  static Job wordCount(String spec, InputStream stdin, int chunks) {
    String text = spec.equals("-") ? readStdin(stdin) : readFiles(spec);
    if (text.isBlank()) {
      throw new IllegalArgumentException("wordcount: " + spec + " holds no text");
    }
    int target = Math.min(MAX_TEXT_CHUNK, Math.max(1, (text.length() + chunks - 1) / chunks));
    List<String> inputs = new ArrayList<>();
    for (int start = 0; start < text.length(); ) {
      // Cut after the first line end past the target size, so no word is split...
      int newline = text.indexOf('\n', Math.min(text.length() - 1, start + target - 1));
      int end = newline < 0 ? text.length() : newline + 1;
      if (end - start > MAX_TEXT_CHUNK) {
        // ...unless that line is too long for one task: then cut at a space before the limit.
        end = start + MAX_TEXT_CHUNK;
        while (end > start + 1 && !Character.isWhitespace(text.charAt(end - 1))) {
          end--;
        }
      }
      inputs.add(text.substring(start, end));
      start = end;
    }
    return new Job(
        "wordcount", inputs, "count the words of " + spec + " in " + inputs.size() + " chunk(s)");
  }

  private static String readFiles(String spec) {
    StringBuilder text = new StringBuilder();
    for (String item : spec.split(",", -1)) {
      if (!item.startsWith("@") || item.length() < 2) {
        throw new IllegalArgumentException(
            "wordcount takes @FILE[,@FILE…] or -, not '" + item + "'");
      }
      Path file = Path.of(item.substring(1));
      try {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        text.append(content);
        if (!content.endsWith("\n")) {
          text.append('\n'); // the last word of one file must not run into the next file's first
        }
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("wordcount: " + file + " does not exist", e);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "wordcount: cannot read " + file + " as UTF-8 text: " + e.getMessage(), e);
      }
    }
    return text.toString();
  }

  private static String readStdin(InputStream stdin) {
    try {
      return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("wordcount: cannot read stdin: " + e.getMessage(), e);
    }
  }

  private static BigInteger integer(String text, String range) {
    try {
      return new BigInteger(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "sum: '" + text + "' in '" + range + "' is not an" + " integer");
    }
  }
}
