package org.rmiq.cli.master.job;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.master.NumberRange;

/**
 * Parses the numbers of a {@code square} job: {@code 3,5,8}, a range {@code 1..1000}, a mix ({@code
 * 1..3,10}), {@code @FILE} or {@code -} (stdin), one number or range per line. Integers of any
 * size; the result keeps their exact decimal text.
 */
public final class NumberList {
  /** The most numbers one job may have; a typo like 1..1000000000000 is caught, not obeyed. */
  static final long MAX_COUNT = 10_000_000;

  private NumberList() {}

  /**
   * @throws IllegalArgumentException naming the offending text and where it came from
   */
  static List<String> parse(String spec, Sources sources) {
    List<String> numbers = new ArrayList<>();
    if (InputLines.isSource(spec)) {
      for (InputLines.Line line : InputLines.read(spec, sources)) {
        addItems(line.text(), line.where(), numbers);
      }
      if (numbers.isEmpty()) {
        throw new IllegalArgumentException("no numbers in " + spec);
      }
    } else {
      List<String> range = oneRange(spec, "NUMBERS");
      if (range != null) {
        return range;
      }
      addItems(spec, "NUMBERS", numbers);
    }
    return numbers;
  }

  private static final java.util.regex.Pattern RANGE =
      java.util.regex.Pattern.compile("\\s*-?\\d+\\s*\\.\\.\\s*-?\\d+\\s*");

  /** Whether {@code text} is an integer range such as {@code 1..100}. */
  static boolean isRange(String text) {
    return RANGE.matcher(text).matches();
  }

  /** The numbers of a list or range written inline, {@code where} naming it in messages. */
  static List<String> parse(String text, String where) {
    List<String> numbers = new ArrayList<>();
    addItems(text, where, numbers);
    return numbers;
  }

  /**
   * The numbers of {@code text} when it is one range of whole numbers that fit a long ({@code
   * 1..1000000}), as a {@link NumberRange} that makes each number's text when asked (a million as
   * strings were 53 MB the master kept for the whole job); else null, for {@link #addItems}.
   */
  private static List<String> oneRange(String text, String where) {
    String trimmed = text.strip();
    if (trimmed.indexOf(',') >= 0 || !isRange(trimmed)) {
      return null;
    }
    int dots = dotsOf(trimmed);
    BigInteger low = integer(trimmed.substring(0, dots), trimmed, where);
    BigInteger high = integer(trimmed.substring(dots + 2), trimmed, where);
    if (low.compareTo(high) > 0 || low.bitLength() >= 63 || high.bitLength() >= 63) {
      return null; // addItems says what is wrong, or spells out the big numbers
    }
    checkCount(high.subtract(low).add(BigInteger.ONE), where);
    return new NumberRange(low.longValue(), high.longValue());
  }

  /** Where an item's {@code ..} is (after a leading minus sign), or -1 for a single number. */
  private static int dotsOf(String item) {
    return item.indexOf("..", item.startsWith("-") ? 1 : 0);
  }

  private static void addItems(String text, String where, List<String> out) {
    for (String item : text.split(",", -1)) {
      String trimmed = item.strip();
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException(
            where
                + ": empty item in '"
                + text
                + "'; write numbers separated by commas, e.g. 3,5,8");
      }
      int dots = dotsOf(trimmed);
      if (dots >= 0) {
        addRange(trimmed, trimmed.substring(0, dots), trimmed.substring(dots + 2), where, out);
      } else {
        out.add(integer(trimmed, trimmed, where).toString());
        checkCount(out.size(), where);
      }
    }
  }

  private static void addRange(
      String range, String from, String to, String where, List<String> out) {
    BigInteger low = integer(from, range, where);
    BigInteger high = integer(to, range, where);
    if (low.compareTo(high) > 0) {
      throw new IllegalArgumentException(
          where
              + ": range '"
              + range
              + "' is empty; write the"
              + " smaller number first, e.g. "
              + high
              + ".."
              + low);
    }
    BigInteger count = high.subtract(low).add(BigInteger.ONE);
    checkCount(count.add(BigInteger.valueOf(out.size())), where);
    if (low.bitLength() < 63
        && high.bitLength() < 63) { // the usual case, without a BigInteger each
      for (long n = low.longValue(), last = high.longValue(); n <= last; n++) {
        out.add(Long.toString(n));
      }
      return;
    }
    for (BigInteger n = low; n.compareTo(high) <= 0; n = n.add(BigInteger.ONE)) {
      out.add(n.toString());
    }
  }

  private static BigInteger integer(String text, String context, String where) {
    try {
      return new BigInteger(text.strip());
    } catch (NumberFormatException e) {
      String inside = text.equals(context) ? "" : " in '" + context + "'";
      throw new IllegalArgumentException(
          where + ": '" + text + "'" + inside + " is not an integer");
    }
  }

  private static void checkCount(long count, String where) {
    checkCount(BigInteger.valueOf(count), where);
  }

  private static void checkCount(BigInteger count, String where) {
    if (count.compareTo(BigInteger.valueOf(MAX_COUNT)) > 0) {
      throw new IllegalArgumentException(
          where
              + ": "
              + count
              + " numbers is more than one job"
              + " takes ("
              + MAX_COUNT
              + "); split it into several jobs");
    }
  }
}
