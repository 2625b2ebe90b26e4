package org.rmiq.cli.master.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rmiq.cli.master.follow.ResultFile;
import org.rmiq.report.TaskOutcome;

/**
 * The master's half of a job whose answer combines the tasks' values: the reduce step of {@code
 * sum} and {@code wordcount}.
 */
public interface Reduction {
  /** Takes one collected task's value into the answer. */
  void add(TaskOutcome outcome);

  /**
   * Prints the combined answer (and, where the job says so, writes it to {@code outFile}).
   *
   * @return false when the answer is known to be wrong
   */
  boolean finish(PrintStream out, Path outFile) throws IOException;

  /** Whether {@code --out} holds the combined answer instead of one row per task. */
  default boolean ownsOutFile() {
    return false;
  }

  /** Adds the chunks' sums and checks the total against n(a+b)/2. */
  final class RangeSum implements Reduction {
    private final BigInteger from;
    private final BigInteger to;
    private BigInteger total = BigInteger.ZERO;

    RangeSum(BigInteger from, BigInteger to) {
      this.from = from;
      this.to = to;
    }

    /** Far more digits than any sum of a range of this size; a longer value is not parsed. */
    static final int MAX_DIGITS = 1000;

    private long malformed;

    @Override
    public void add(TaskOutcome outcome) {
      if (!outcome.ok()) {
        return;
      }
      String value = outcome.value().strip();
      try {
        if (value.length() > MAX_DIGITS) {
          throw new NumberFormatException("too long");
        }
        total = total.add(new BigInteger(value));
      } catch (NumberFormatException e) {
        malformed++; // a broken or forged value: the check against the formula catches it
      }
    }

    @Override
    public boolean finish(PrintStream out, Path outFile) {
      BigInteger expected =
          from.add(to).multiply(to.subtract(from).add(BigInteger.ONE)).shiftRight(1);
      boolean right = expected.equals(total);
      out.println(
          "sum "
              + from
              + ".."
              + to
              + " = "
              + total
              + "  (formula n(a+b)/2 = "
              + expected
              + ": "
              + (right ? "correct" : "WRONG — some chunks failed")
              + ")"
              + (malformed > 0 ? "; " + malformed + " chunk value(s) were not integers" : ""));
      return right;
    }
  }

  /** Merges the chunks' word counts; prints the top words and writes all counts to --out. */
  final class WordCount implements Reduction {
    static final int TOP = 10;
    private final Map<String, Long> counts = new HashMap<>();

    @Override
    public void add(TaskOutcome outcome) {
      if (!outcome.ok()) {
        return;
      }
      for (String line : outcome.value().split("\n", -1)) {
        int tab = line.lastIndexOf('\t');
        if (tab > 0) {
          try {
            counts.merge(
                line.substring(0, tab), Long.parseLong(line.substring(tab + 1)), Long::sum);
          } catch (NumberFormatException e) {
            // a line a worker should not have sent: not a count, skipped
          }
        }
      }
    }

    Map<String, Long> counts() {
      return counts;
    }

    @Override
    public boolean finish(PrintStream out, Path outFile) throws IOException {
      out.println(
          "wordcount: "
              + counts.values().stream().mapToLong(Long::longValue).sum()
              + " words, "
              + counts.size()
              + " distinct; the top "
              + Math.min(TOP, counts.size())
              + ":");
      counts.entrySet().stream()
          .sorted(
              Map.Entry.<String, Long>comparingByValue()
                  .reversed()
                  .thenComparing(Map.Entry.comparingByKey()))
          .limit(TOP)
          .forEach(e -> out.printf("  %8d  %s%n", e.getValue(), e.getKey()));
      if (outFile != null) {
        write(outFile);
      }
      return true;
    }

    @Override
    public boolean ownsOutFile() {
      return true;
    }

    /** A word as a CSV cell: quoted when needed, never a formula (workers send the words). */
    private static String csvWord(String word) {
      String cell = String.valueOf(ResultFile.neutral(word));
      return cell.matches("[\\p{L}\\p{N}']*") ? cell : '"' + cell.replace("\"", "\"\"") + '"';
    }

    private void write(Path file) throws IOException {
      boolean csv = file.getFileName().toString().endsWith(".csv");
      ObjectMapper json = new ObjectMapper();
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        if (csv) {
          w.write("word,count\n");
        }
        for (var e : new java.util.TreeMap<>(counts).entrySet()) {
          if (csv) {
            w.write(csvWord(e.getKey()) + "," + e.getValue() + "\n");
          } else {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("word", e.getKey());
            row.put("count", e.getValue());
            w.write(json.writeValueAsString(row) + "\n");
          }
        }
      }
    }
  }
}
