package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.worker.WordCountHandler;

/** The built-in lessons: the CPU-bound range sum and MapReduce word count. */
class ClassroomDemosIT {
  private static final String TOKEN = "classroom-token-0123456789abcdef";
  private static final Duration EXIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  private JvmProcess start(String name, Path jar, String... args) throws Exception {
    return processes.in(dir).start(name, jar, args);
  }

  private void twoWorkers(int port) throws Exception {
    start("w1", JvmProcess.workerJar(), "localhost:" + port, "--exit-when-done");
    start("w2", JvmProcess.workerJar(), "localhost:" + port, "--exit-when-done");
  }

  @Test
  void sumOverARangeBeyond64BitsIsExactAndChecked() throws Exception {
    BigInteger from = new BigInteger("18446744073709551000"); // above 2^64
    BigInteger to = from.add(BigInteger.valueOf(99_999));
    JvmProcess master =
        start(
            "master",
            JvmProcess.masterJar(),
            "--port",
            "0",
            "--chunks",
            "7",
            "sum",
            from + ".." + to);
    twoWorkers(master.awaitMasterPort());

    assertEquals(0, master.awaitExit(EXIT), master.stderr());
    BigInteger expected = from.add(to).multiply(BigInteger.valueOf(100_000)).shiftRight(1);
    assertTrue(
        master
            .stdout()
            .contains(
                "sum "
                    + from
                    + ".."
                    + to
                    + " = "
                    + expected
                    + "  (formula n(a+b)/2 = "
                    + expected
                    + ": correct)"),
        master.stdout());
    assertEquals(7, master.stdout().lines().filter(l -> l.contains(": sum ")).count());
  }

  @Test
  void wordcountMatchesADirectCount() throws Exception {
    StringBuilder text = new StringBuilder();
    String[] words = {
      "the", "quick", "Brown", "fox", "jumps", "over", "lazy", "dog's", "Über", "42"
    };
    for (int i = 0; i < 3000; i++) {
      text.append(words[i % words.length]).append(i % 7 == 0 ? ".\n" : " ");
      text.append(words[(i * 7) % words.length]).append(", ");
    }
    Path book = Files.writeString(dir.resolve("book.txt"), text);
    Path other = Files.writeString(dir.resolve("other.txt"), "The end. THE END!\n");
    JvmProcess master =
        start(
            "master",
            JvmProcess.masterJar(),
            "--port",
            "0",
            "--chunks",
            "5",
            "--out",
            "counts.csv",
            "wordcount",
            "@" + book + ",@" + other);
    twoWorkers(master.awaitMasterPort());
    assertEquals(0, master.awaitExit(EXIT), master.stderr());

    Map<String, Long> direct = new TreeMap<>();
    Matcher m = WordCountHandler.WORD.matcher(text + "\nThe end. THE END!\n");
    while (m.find()) {
      direct.merge(m.group().toLowerCase(Locale.ROOT), 1L, Long::sum);
    }
    Map<String, Long> written = new TreeMap<>();
    List<String> lines = Files.readAllLines(dir.resolve("counts.csv"));
    assertEquals("word,count", lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      written.put(cells[0], Long.parseLong(cells[1]));
    }
    assertEquals(direct, written);
    assertTrue(
        master
            .stdout()
            .contains(
                "wordcount: "
                    + direct.values().stream().mapToLong(Long::longValue).sum()
                    + " words, "
                    + direct.size()
                    + " distinct"),
        master.stdout());
  }

  @Test
  void theOneCommandDemoRunsItsThreePartsIncludingServedDownloads() throws Exception {
    ScriptRun demo = ScriptRun.of(dir, "run-demo.sh");
    String out = demo.output();
    assertEquals(0, demo.exit(), out);
    assertTrue(out.contains("10 * 10 = 100"), out);
    String part1 = out.substring(out.indexOf("=== Part 1"), out.indexOf("=== Part 2"));
    assertTrue(
        part1.contains("demo-worker-1") && part1.contains("demo-worker-2"),
        "part 1 shows both workers: " + part1);
    assertTrue(out.contains("rmiq: 20 task(s): 20 ok, 0 failed, 0 cancelled, 0 missing"), out);
    // Part 2's promise, measured: 20 x 200 ms on 4 threads is 1.0 s of work at best.
    Matcher work = Pattern.compile("rmiq: 20 task\\(s\\): .* in ([\\d.]+) s of work").matcher(out);
    assertTrue(work.find(), out);
    double seconds = Double.parseDouble(work.group(1));
    assertTrue(seconds >= 1.0 && seconds < 2.5, "part 2 took " + seconds + " s of work");
    assertTrue(out.contains("rmiq: 24 task(s): 24 ok, 0 failed, 0 cancelled, 0 missing"), out);
    assertTrue(out.contains("the master now holds 24 collected image(s)"), out);
  }
}
