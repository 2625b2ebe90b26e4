package org.rmiq.cli.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobTest {
  @TempDir Path dir;
  private static final InputStream NO_STDIN = InputStream.nullInputStream();

  private static List<String> numbers(String spec) {
    return NumberList.parse(spec, NO_STDIN);
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void numbersAreListsRangesAndMixes() {
    assertEquals(List.of("3", "5", "8"), numbers("3,5,8"));
    assertEquals(List.of("1", "2", "3", "10"), numbers("1..3,10"));
    assertEquals(List.of("-2", "-1", "0", "1"), numbers("-2..1"));
    assertEquals(
        List.of("123456789012345678901234567890"), numbers("123456789012345678901234567890"));
    assertEquals(1000, numbers("1..1000").size());
  }

  @Test
  void badNumbersAreNamedExactly() {
    assertEquals("NUMBERS: 'x' in '1..x' is not an integer", error(() -> numbers("1..x")));
    assertEquals("NUMBERS: 'abc' is not an integer", error(() -> numbers("abc")));
    assertEquals(
        "NUMBERS: range '5..1' is empty; write the smaller number first, e.g. 1..5",
        error(() -> numbers("5..1")));
    assertEquals(
        "NUMBERS: empty item in '1,,2'; write numbers separated by commas, e.g. 3,5,8",
        error(() -> numbers("1,,2")));
    assertEquals(
        "NUMBERS: 1000000000000 numbers is more than one job takes (10000000); split it"
            + " into several jobs",
        error(() -> numbers("1..1000000000000")));
  }

  @Test
  void numbersFromAFileSkipBlankLinesAndCommentsAndNameTheBadLine() throws Exception {
    Path file = dir.resolve("numbers.txt");
    Files.writeString(file, "# my numbers\n3\n\n 5 \n1..2\n");
    assertEquals(List.of("3", "5", "1", "2"), numbers("@" + file));
    Files.writeString(file, "3\nabc\n");
    assertEquals(file + " line 2: 'abc' is not an integer", error(() -> numbers("@" + file)));
    Path missing = dir.resolve("missing.txt");
    assertEquals(
        "input file "
            + missing
            + " does not exist (from '@"
            + missing
            + "'); give an"
            + " existing file after @",
        error(() -> numbers("@" + missing)));
  }

  @Test
  void numbersFromStdin() {
    InputStream stdin = new ByteArrayInputStream("7\n8\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("7", "8"), NumberList.parse("-", stdin));
  }

  @Test
  void jobsAreSquareSleepOrTheClassicDemo() {
    Job demo = Job.parse(List.of(), NO_STDIN, new Random(1));
    assertEquals("square", demo.kind());
    assertEquals(10, demo.inputs().size());
    Job sleep = Job.parse(List.of("sleep", "200x40"), NO_STDIN, new Random());
    assertEquals(40, sleep.inputs().size());
    assertEquals("200", sleep.inputs().get(0));
    assertEquals(List.of("50"), Job.parse(List.of("sleep", "50"), NO_STDIN, null).inputs());
  }

  @Test
  void badJobsSayWhatIsAccepted() {
    assertEquals(
        "unknown job 'cube'; the jobs are: square NUMBERS, sleep MILLIS[xCOUNT], sum"
            + " A..B, wordcount @FILES, download @URLS, task KIND INPUTS, or none for the classic demo",
        error(() -> Job.parse(List.of("cube", "1"), NO_STDIN, null)));
    assertEquals(
        "sleep '200y3' is not MILLIS[xCOUNT]; e.g. 200x40 for 40 tasks of 200 ms",
        error(() -> Job.parse(List.of("sleep", "200y3"), NO_STDIN, null)));
    assertEquals(
        "job square takes exactly one argument (NUMBERS, e.g. 1..100 or 3,5,8 or"
            + " @numbers.txt), got 0",
        error(() -> Job.parse(List.of("square"), NO_STDIN, null)));
  }

  @Test
  void sumSplitsTheRangeIntoNearEqualChunksThatCoverItExactly() {
    assertEquals(List.of("1..3", "4..6", "7..10"), Chunks.rangeSum("1..10", 3).inputs());
    assertEquals(
        List.of("5..5", "6..6"),
        Chunks.rangeSum("5..6", 8).inputs(),
        "never more chunks than numbers");
    assertEquals(List.of("-3..-1", "0..2"), Chunks.rangeSum("-3..2", 2).inputs());
    assertEquals(
        "sum: range '9..1' is empty; write the smaller number first",
        error(() -> Chunks.rangeSum("9..1", 2)));
    assertEquals("sum: 'x' in '1..x' is not an integer", error(() -> Chunks.rangeSum("1..x", 2)));
  }

  @Test
  void wordcountCutsTextAtLineEndsIntoAboutNChunks() throws Exception {
    Path book = dir.resolve("book.txt");
    Files.writeString(book, "one two\nthree four\nfive six\nseven eight\n");
    List<String> chunks = Chunks.wordCount("@" + book, NO_STDIN, 2).inputs();
    assertEquals(2, chunks.size());
    assertEquals("one two\nthree four\nfive six\nseven eight\n", String.join("", chunks));
    chunks.forEach(c -> assertEquals('\n', c.charAt(c.length() - 1), "cut at a line end"));
    assertEquals(
        "wordcount: " + dir.resolve("nope.txt") + " does not exist",
        error(() -> Chunks.wordCount("@" + dir.resolve("nope.txt"), NO_STDIN, 2)));
  }

  @Test
  void outFileMustBeJsonLinesOrCsvInAnExistingFolder() {
    ResultFile.check(dir.resolve("r.jsonl"));
    ResultFile.check(dir.resolve("r.csv"));
    assertEquals(
        "--out " + dir.resolve("r.txt") + ": name the file .jsonl (JSON lines) or .csv",
        error(() -> ResultFile.check(dir.resolve("r.txt"))));
    Path nested = dir.resolve("no/such/r.csv");
    assertEquals(
        "--out "
            + nested
            + ": folder "
            + nested.getParent()
            + " does not exist; create"
            + " it first",
        error(() -> ResultFile.check(nested)));
  }

  @Test
  void aDownloadListIsCheckedLineByLine() throws Exception {
    Path urls = dir.resolve("urls.txt");
    Files.writeString(
        urls,
        """
        # photos
        http://h/a.jpg

        ftp://h/b.jpg
        https://h/c.jpg#x
        h/d.jpg
        """);
    String refused = error(() -> Job.parse(List.of("download", "@" + urls), NO_STDIN, null));
    assertEquals(
        "2 line(s) of @"
            + urls
            + " are not URLs that can be downloaded:\n"
            + "  "
            + urls
            + " line 4: 'ftp://h/b.jpg': only http and https URLs are downloaded, not"
            + " ftp:\n  "
            + urls
            + " line 6: 'h/d.jpg': not an absolute URL: start it with http://"
            + " or https://\nfix them, or give --skip-bad-lines to download the rest",
        refused);
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    Job job =
        Job.parse(
            List.of("download", "@" + urls),
            NO_STDIN,
            null,
            new JobOptions(
                8, true, null, new java.io.PrintStream(warnings, true, StandardCharsets.UTF_8)));
    assertEquals(List.of("http://h/a.jpg", "https://h/c.jpg"), job.inputs());
    assertEquals("download 2 URL(s) (2 bad line(s) skipped)", job.title());
    assertEquals(
        2,
        warnings
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.startsWith("run-master: skipped " + urls + " line "))
            .count());
  }

  @Test
  void downloadWithoutAListTakesWhatIsServed() {
    assertEquals(
        List.of("http://me:8000/a.jpg"),
        Job.parse(
                List.of("download"),
                NO_STDIN,
                null,
                new JobOptions(8, false, () -> List.of("http://me:8000/a.jpg"), System.err))
            .inputs());
    assertEquals(
        "job download needs its URLs: @FILE (one per line) or - (stdin); or give"
            + " --serve DIR to download every file the master serves",
        error(() -> Job.parse(List.of("download"), NO_STDIN, null)));
    assertEquals(
        List.of("http://h/x"),
        Job.parse(
                List.of("download", "-"),
                new ByteArrayInputStream("http://h/x\n".getBytes(StandardCharsets.UTF_8)),
                null)
            .inputs());
  }
}
