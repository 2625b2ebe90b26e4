package org.rmiq.cli.master.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The compiler in a child JVM: hostile sources cost the master nothing but the wait. */
class ChildCompilerTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFileInAPackageCompilesAndItsPackageComesFromJavac() {
    String source =
        "\n".repeat(60_000)
            + "package lab.week3;\npublic class Twice { public static int apply(String s) {"
            + " return 2 * Integer.parseInt(s.trim()); } }\n";
    long start = System.nanoTime();
    OneFileCompiler.Compiled compiled = ChildCompiler.compile("Twice.java", utf8(source));
    assertEquals("twice", compiled.kind());
    assertEquals("lab.week3.Twice", compiled.className());
    assertTrue(compiled.jar().length > 0);
    assertTrue(
        System.nanoTime() - start < Duration.ofSeconds(30).toNanos(),
        "60,000 blank lines must not make the package search quadratic");
  }

  @Test
  void aConstantDoubledUntilItFillsAnyHeapStopsTheChildNotTheMaster() {
    StringBuilder bomb =
        new StringBuilder("public class Bomb {\n  static final String A0 = \"ab\";\n");
    for (int i = 1; i <= 26; i++) {
      bomb.append("  static final String A")
          .append(i)
          .append(" = A")
          .append(i - 1)
          .append(" + A")
          .append(i - 1)
          .append(";\n");
    }
    bomb.append("  public static String apply(String s) { return A26; }\n}\n");
    long heapBefore = Runtime.getRuntime().totalMemory();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ChildCompiler.compile("Bomb.java", utf8(bomb.toString())));
    assertTrue(
        e.getMessage().startsWith("compiling Bomb.java needed more than 256 MiB of memory"),
        e.getMessage());
    assertTrue(
        Runtime.getRuntime().totalMemory() - heapBefore < 64L << 20,
        "the master's own heap grew while compiling");
  }

  @Test
  void aCompilerThatTakesTooLongIsStoppedAndNamed() {
    String slow = "public class Slow { public static int apply(String s) { return 1; } }\n";
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ChildCompiler.compile("Slow.java", utf8(slow), Duration.ofMillis(1)));
    assertTrue(e.getMessage().contains("took longer than"), e.getMessage());
  }

  @Test
  void javacErrorsComeBackAsTheyDidInProcess() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ChildCompiler.compile("Broken.java", utf8("public class Broken {")));
    assertTrue(e.getMessage().startsWith("Broken.java:1: error:"), e.getMessage());
  }
}
