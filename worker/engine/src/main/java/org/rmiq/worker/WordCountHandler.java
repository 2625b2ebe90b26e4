package org.rmiq.worker;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rmiq.api.TaskHandler;

/**
 * {@code wordcount}: the map step of MapReduce. Counts the words of a chunk of text; the value is
 * one {@code word<TAB>count} line per distinct word. A word is a run of letters and digits, with
 * apostrophes only inside it ({@code don't}, {@code o'clock}), lower-cased: quotes around a word
 * are not part of it, and a lone apostrophe is no word.
 */
public final class WordCountHandler implements TaskHandler {
  /** What counts as a word; the master's reduce step and the tests use the same rule. */
  public static final Pattern WORD =
      Pattern.compile("[\\p{L}\\p{Nd}]+(?:['\u2019][\\p{L}\\p{Nd}]+)*");

  @Override
  public String kind() {
    return "wordcount";
  }

  @Override
  public String execute(String text) {
    Map<String, Integer> counts = new TreeMap<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      counts.merge(m.group().toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    StringBuilder value = new StringBuilder();
    counts.forEach((word, count) -> value.append(word).append('\t').append(count).append('\n'));
    return value.toString();
  }
}
