package org.rmiq.cli.master.job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rmiq.report.TaskOutcome;

/**
 * {@code wordcount @FILE[,@FILE…]} or {@code wordcount -}: MapReduce. The text is cut into about
 * {@code --chunks} pieces at line ends; workers count each piece's words, the master merges the
 * counts, prints the top words and writes every count to {@code --out}.
 */
public final class WordCountJob extends JobKind {
  /** A chunk's most characters, well under a task input's limit. */
  static final int MAX_TEXT_CHUNK = 256 * 1024;

  private final List<String> pieces;
  private final String source;

  /** The pieces {@code --chunks} asked for (0 for a described job). */
  private final int asked;

  private WordCountJob(String spec, String source, List<String> pieces, int asked) {
    super(spec);
    this.source = source;
    this.pieces = pieces;
    this.asked = asked;
  }

  static WordCountJob parse(List<String> args, JobContext context) {
    if (args.size() != 1) {
      throw new IllegalArgumentException(
          "job wordcount takes one argument (@FILE[,@FILE…] or -), got " + args.size());
    }
    String spec = args.get(0);
    String text = read(spec, context.sources());
    if (text.isBlank()) {
      throw new IllegalArgumentException("wordcount: " + spec + " holds no text");
    }
    return new WordCountJob(
        "wordcount " + spec, spec, split(text, context.chunks()), context.chunks());
  }

  static WordCountJob described(String spec, String source) {
    return new WordCountJob(spec, source, List.of(), 0);
  }

  /** Cuts {@code text} into about {@code chunks} pieces, never splitting a word if it can help. */
  static List<String> split(String text, int chunks) {
    int target = Math.min(MAX_TEXT_CHUNK, Math.max(1, (text.length() + chunks - 1) / chunks));
    List<String> inputs = new ArrayList<>();
    for (int start = 0; start < text.length(); ) {
      // Cut after the first line end past the target size, so no word is split...
      int newline = text.indexOf('\n', Math.min(text.length() - 1, start + target - 1));
      int end = newline < 0 ? text.length() : newline + 1;
      if (end - start > MAX_TEXT_CHUNK) {
        // ...unless that line is too long for one task: then cut at the last space before the
        // limit, or at the limit itself when a quarter-megabyte holds no space at all.
        int limit = start + MAX_TEXT_CHUNK;
        end = limit;
        while (end > start + MAX_TEXT_CHUNK / 2 && !Character.isWhitespace(text.charAt(end - 1))) {
          end--;
        }
        if (!Character.isWhitespace(text.charAt(end - 1))) {
          end = limit;
        }
      }
      inputs.add(text.substring(start, end));
      start = end;
    }
    return inputs;
  }

  private static String read(String spec, Sources sources) {
    if (spec.equals("-")) {
      return new String(sources.read("-"), StandardCharsets.UTF_8);
    }
    StringBuilder text = new StringBuilder();
    for (String item : spec.split(",", -1)) {
      if (!item.startsWith("@") || item.length() < 2) {
        throw new IllegalArgumentException(
            "wordcount takes @FILE[,@FILE…] or -, not '" + item + "'");
      }
      String content = new String(sources.read(item), StandardCharsets.UTF_8);
      text.append(content);
      if (!content.endsWith("\n")) {
        text.append('\n'); // the last word of one file must not run into the next file's first
      }
    }
    return text.toString();
  }

  @Override
  public String title() {
    String title = "count the words of " + source + " in " + pieces.size() + " chunk(s)";
    if (asked > 0 && pieces.size() > asked) {
      // A task's input is at most 256 KiB: a long text needs more pieces than were asked for.
      title +=
          " (--chunks "
              + asked
              + " asked for fewer, but a chunk holds at most "
              + MAX_TEXT_CHUNK / 1024
              + " KiB of text)";
    } else if (asked > 0 && pieces.size() < asked) {
      title += " (--chunks " + asked + " asked for more, but a chunk ends at a line's end)";
    }
    return title;
  }

  @Override
  String taskKind() {
    return "wordcount";
  }

  @Override
  List<String> inputs() {
    return pieces;
  }

  @Override
  String success(TaskOutcome o) {
    return "task "
        + o.id()
        + ": counted "
        + o.value().lines().count()
        + " distinct word(s) in "
        + o.input().length()
        + " characters";
  }

  @Override
  public Reduction reduction() {
    return new Reduction.WordCount();
  }
}
