package org.rmiq.util;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the sizes flags take: {@code 100MB}, {@code 512KB}, {@code 2GB} or plain bytes. */
public final class Sizes {
  // Binary units, as file managers on Linux and Java's own tools count them: 1 MB = 1024 KB.
  private static final Pattern FORMAT =
      Pattern.compile("(\\d{1,12})\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  private Sizes() {}

  /**
   * Parses a positive size.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static long parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a size: write a whole number of"
              + " bytes or one with a unit, e.g. 100MB, 512KB or 2GB");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    int shift =
        switch (unit.charAt(0)) {
          case 'k' -> 10;
          case 'm' -> 20;
          case 'g' -> 30;
          default -> 0;
        };
    if (amount == 0) {
      throw new IllegalArgumentException("'" + text + "' is zero: give a positive size");
    }
    if (amount > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return amount << shift;
  }

  /** Formats a size in the largest exact unit, the way {@link #parse} reads it. */
  public static String format(long bytes) {
    String[] units = {"B", "KB", "MB", "GB"};
    int unit = 0;
    while (unit < 3 && bytes != 0 && bytes % 1024 == 0) {
      bytes /= 1024;
      unit++;
    }
    return bytes + units[unit];
  }
}
