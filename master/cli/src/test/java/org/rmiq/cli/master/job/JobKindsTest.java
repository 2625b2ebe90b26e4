package org.rmiq.cli.master.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.cli.master.follow.ResultFile;
import org.rmiq.master.NumberRange;

class JobKindsTest {
  @TempDir Path dir;
  private static final InputStream NO_STDIN = InputStream.nullInputStream();
  private final List<String> warnings = new ArrayList<>();
  private final List<String> offered = new ArrayList<>();

  private JobContext context(InputStream stdin, boolean skipBadLines, List<String> served) {
    return new JobContext(
        Sources.local(stdin),
        new Random(1),
        JobContext.DEFAULT_CHUNKS,
        skipBadLines,
        served == null ? null : () -> served,
        warnings::add,
        (name, jar, kinds) -> {
          offered.add(name);
          return "a".repeat(64);
        });
  }

  private JobKind parse(String... words) {
    return JobKinds.parse(List.of(words), context(NO_STDIN, false, null));
  }

  private static List<String> numbers(String spec) {
    return NumberList.parse(spec, Sources.local(NO_STDIN));
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
    assertTrue(
        numbers(" 1..1000 ") instanceof NumberRange, "one range: its numbers made when asked");
    assertEquals(List.of("-2", "-1", "0", "1"), List.copyOf(numbers("-2..1")));
    // ranges at and past the edges of a long (those are counted with BigInteger)
    assertEquals(
        List.of("4611686018427387902", "4611686018427387903"),
        numbers("4611686018427387902..4611686018427387903"));
    assertEquals(
        List.of("9223372036854775807", "9223372036854775808"),
        numbers("9223372036854775807..9223372036854775808"));
    assertEquals(List.of("7", "8", "9"), numbers("007..+9"));
  }

  @Test
  void badNumbersAreNamedExactly() {
    assertEquals("NUMBERS: 'x' in '1..x' is not an integer", error(() -> numbers("1..x")));
    assertEquals(
        "NUMBERS: range '5..1' is empty; write the smaller number first, e.g. 1..5",
        error(() -> numbers("5..1")));
    assertEquals(
        "NUMBERS: 1000000000000 numbers is more than one job takes (10000000); split it"
            + " into several jobs",
        error(() -> numbers("1..1000000000000")));
  }

  @Test
  void numbersFromAFileOrStdin() throws Exception {
    Path file = dir.resolve("numbers.txt");
    Files.writeString(file, "# my numbers\n3\n\n 5 \n1..2\n");
    assertEquals(List.of("3", "5", "1", "2"), numbers("@" + file));
    Files.writeString(file, "3\nabc\n");
    assertEquals(file + " line 2: 'abc' is not an integer", error(() -> numbers("@" + file)));
    InputStream stdin = new ByteArrayInputStream("7\n8\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("7", "8"), NumberList.parse("-", Sources.local(stdin)));
  }

  @Test
  void theDemoSquareAndSleepKeepTheirSpecAsTyped() {
    JobKind demo = JobKinds.parse(List.of(), context(NO_STDIN, false, null));
    assertEquals("square", demo.taskKind());
    assertEquals(10, demo.inputs().size());
    assertEquals("square " + String.join(",", demo.inputs()), demo.spec(), "resumable as is");
    JobKind sleep = parse("sleep", "200x40");
    assertEquals(40, sleep.inputs().size());
    assertEquals("sleep 200x40", sleep.spec());
  }

  @Test
  void badJobsSayWhatIsAccepted() {
    assertEquals(
        "unknown job 'cube'; the jobs are: square NUMBERS, sleep MILLIS[xCOUNT], sum A..B,"
            + " wordcount @FILE[,…], download URLS, task KIND INPUTS, run FILE.java INPUTS, or"
            + " none for the classic demo",
        error(() -> parse("cube", "1")));
    assertEquals(
        "sleep '200y3' is not MILLIS[xCOUNT]; e.g. 200x40 for 40 tasks of 200 ms",
        error(() -> parse("sleep", "200y3")));
  }

  @Test
  void taskInputsReadAsSquareReadsNumbers() throws Exception {
    assertEquals(100, parse("task", "isprime", "1..100").inputs().size(), "a range expands");
    assertEquals(List.of("a", "b", "c"), parse("task", "echo", "a,b,c").inputs());
    assertEquals(List.of("1", "2", "3", "x"), parse("task", "echo", "1..3,x").inputs(), "a mix");
    Path file = dir.resolve("in.txt");
    Files.writeString(file, "hello, world\n5..6\n");
    assertEquals(
        List.of("hello, world", "5", "6"),
        parse("task", "echo", "@" + file).inputs(),
        "a file has one input (or range) per line");
  }

  @Test
  void sumSplitsTheRangeIntoNearEqualChunksThatCoverItExactly() {
    RangeSumJob sum = RangeSumJob.parse(List.of("1..10"), 3);
    assertEquals(List.of("1..3", "4..6", "7..10"), sum.inputs());
    assertEquals(List.of("5..5", "6..6"), RangeSumJob.parse(List.of("5..6"), 8).inputs());
    assertEquals(
        "sum: range '9..1' is empty; write the smaller number first",
        error(() -> RangeSumJob.parse(List.of("9..1"), 2)));
  }

  @Test
  void wordcountCutsAtLineEndsAndNeverIntoOneCharacterPieces() throws Exception {
    Path book = dir.resolve("book.txt");
    Files.writeString(book, "one two\nthree four\nfive six\nseven eight\n");
    List<String> chunks =
        JobKinds.parse(
                List.of("wordcount", "@" + book),
                new JobContext(Sources.local(NO_STDIN), null, 2, false, null, w -> {}, null))
            .inputs();
    assertEquals(2, chunks.size());
    assertEquals("one two\nthree four\nfive six\nseven eight\n", String.join("", chunks));
    String oneLongLine = "word ".repeat(200_000); // a megabyte without a line break
    List<String> pieces = WordCountJob.split(oneLongLine, 8);
    assertTrue(pieces.size() <= 8, pieces.size() + " pieces");
    assertEquals(oneLongLine, String.join("", pieces));
    pieces.forEach(p -> assertTrue(p.endsWith(" "), "cut at a space"));
    String noSpaces = "x".repeat(600_000);
    assertEquals(3, WordCountJob.split(noSpaces, 8).size(), "cut at the limit, not per char");
  }

  @Test
  void wordcountSaysWhyItUsedMoreOrFewerChunksThanAskedFor() throws Exception {
    Path big = dir.resolve("big.txt");
    Files.writeString(big, "a line of several words\n".repeat(50_000)); // 1.2 MB
    JobKind many =
        JobKinds.parse(
            List.of("wordcount", "@" + big),
            new JobContext(Sources.local(NO_STDIN), null, 2, false, null, w -> {}, null));
    assertEquals(5, many.inputs().size(), "256 KiB a chunk at most");
    assertTrue(
        many.title()
            .endsWith(
                "in 5 chunk(s) (--chunks 2 asked for fewer, but a chunk holds at most 256 KiB of"
                    + " text)"),
        many.title());
    Path small = dir.resolve("small.txt");
    Files.writeString(small, "two lines\nonly\n");
    JobKind few =
        JobKinds.parse(
            List.of("wordcount", "@" + small),
            new JobContext(Sources.local(NO_STDIN), null, 8, false, null, w -> {}, null));
    assertEquals(2, few.inputs().size());
    assertTrue(
        few.title().contains("asked for more, but a chunk ends at a line's end"), few.title());
  }

  @Test
  void aDownloadListIsCheckedLineByLineOrSkippedWithANote() throws Exception {
    Path urls = dir.resolve("urls.txt");
    Files.writeString(
        urls, "# photos\nhttp://h/a.jpg\n\nftp://h/b.jpg\nhttps://h/c.jpg#x\nh/d.jpg\n");
    String refused = error(() -> parse("download", "@" + urls));
    assertTrue(refused.startsWith("2 line(s) of @" + urls + " are not URLs"), refused);
    JobKind job = JobKinds.parse(List.of("download", "@" + urls), context(NO_STDIN, true, null));
    assertEquals(List.of("http://h/a.jpg", "https://h/c.jpg"), job.inputs());
    assertEquals("download 2 URL(s) (2 bad line(s) skipped)", job.title());
    assertEquals(2, warnings.size());
    assertEquals(
        List.of("http://me:8000/a.jpg"),
        JobKinds.parse(
                List.of("download"), context(NO_STDIN, false, List.of("http://me:8000/a.jpg")))
            .inputs());
  }

  @Test
  void aJobIsDescribedFromItsSpecAloneForResumingAndForSubmitters() {
    JobKind sum = JobKinds.describe("sum 1..10");
    assertEquals("rangesum", sum.taskKind());
    assertTrue(sum.inputs().isEmpty());
    assertTrue(sum.reduction() instanceof Reduction.RangeSum);
    assertEquals("collatz", JobKinds.describe("run examples/Collatz.java 1..9").taskKind());
    assertEquals("isprime", JobKinds.describe("task isprime 1..9").taskKind());
    assertNull(JobKinds.describe("square 1..9").reduction());
  }

  @Test
  void aOneFileKindCompilesIntoAJarOfferedToWorkers() throws Exception {
    Path source = dir.resolve("Collatz.java");
    Files.writeString(
        source,
        """
        public class Collatz {
          public static long apply(String input) {
            long n = Long.parseLong(input.trim()), steps = 0;
            while (n != 1) { n = n % 2 == 0 ? n / 2 : 3 * n + 1; steps++; }
            return steps;
          }
        }
        """);
    JobKind run = parse("run", source.toString(), "1..5");
    assertEquals("collatz", run.taskKind());
    assertEquals(5, run.inputs().size());
    assertEquals("a".repeat(64), run.code());
    assertEquals(List.of("Collatz.jar"), offered);
    OneFileCompiler.Compiled twice =
        OneFileCompiler.compile("Collatz.java", Files.readAllBytes(source));
    assertEquals(
        java.util.Arrays.hashCode(twice.jar()),
        java.util.Arrays.hashCode(
            OneFileCompiler.compile("Collatz.java", Files.readAllBytes(source)).jar()),
        "the same source gives the same jar, so workers fetch it once");
  }

  @Test
  void aCompileErrorReadsAsJavacShowsIt() throws Exception {
    Path source = dir.resolve("Broken.java");
    Files.writeString(
        source,
        "public class Broken {\n  public static int apply(String s) {\n    return s.length()\n  }\n}\n");
    String message = error(() -> parse("run", source.toString(), "1"));
    assertTrue(message.startsWith(source + ":3: error: ';' expected"), message);
    assertTrue(message.contains("\n    return s.length()\n"), message);
    assertTrue(message.endsWith("^\n1 error"), message);
    Path noApply = dir.resolve("NoApply.java");
    Files.writeString(noApply, "public class NoApply { }\n");
    assertTrue(
        error(() -> parse("run", noApply.toString(), "1")).contains("needs a method 'public"));
  }

  @Test
  void csvCellsNeverStartAFormulaButNumbersStayNumbers() {
    assertEquals("'=cmd|' /C calc'!A0", ResultFile.neutral("=cmd|' /C calc'!A0"));
    assertEquals("'@SUM(1+1)", ResultFile.neutral("@SUM(1+1)"));
    assertEquals("'+1+2", ResultFile.neutral("+1+2"));
    assertEquals("-7", ResultFile.neutral("-7"));
    assertEquals("-1.5e3", ResultFile.neutral("-1.5e3"));
    assertEquals("49", ResultFile.neutral("49"));
    assertEquals(12L, ResultFile.neutral(12L));
  }

  @Test
  void attachmentsStandInForFilesOnTheSessionMaster() {
    Sources sent = Sources.attached(Map.of("@n.txt", "4\n5\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("4", "5"), NumberList.parse("@n.txt", sent));
    assertTrue(error(() -> NumberList.parse("@other.txt", sent)).contains("was not sent"));
  }
}
