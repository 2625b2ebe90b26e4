package org.rmiq.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void printableTextAndTabsStayAsTheyAre() {
    String ascii = "task 12 square 12 = 144\t(worker a-1 ~ {x})";
    assertSame(ascii, Printable.of(ascii));
    assertEquals("Grüße, 世界", Printable.of("Grüße, 世界"));
  }

  @Test
  void controlFormatAndSeparatorCharactersAreShownAsEscapes() {
    assertEquals("a\\u001b[2Jb", Printable.of("a\u001b[2Jb")); // clears a terminal
    assertEquals("ok\\u000aERROR forged", Printable.of("ok\nERROR forged"));
    assertEquals("x\\u007fy\\u0085z", Printable.of("x\u007fy\u0085z")); // DEL, C1's NEL
    assertEquals("abc\\u202eevil", Printable.of("abc\u202eevil")); // a bidi override
    assertEquals("p\\u2028q", Printable.of("p\u2028q")); // a line separator
  }

  @Test
  void longTextIsCutAndSaysHowLongItWas() {
    assertEquals("xxxxxxxxxx… (50 chars)", Printable.of("x".repeat(50), 10));
    assertEquals("x".repeat(10), Printable.of("x".repeat(10), 10)); // exactly the limit: whole
    assertEquals("xxxxxxxxxx… (11 chars)", Printable.of("x".repeat(11), 10));
    assertEquals("a\tb", Printable.of("a\tb", 10)); // a tab is kept, past the fast path
    // an escape counts in the cut: six characters shown for one
    assertEquals("\\u001byyy… (20 chars)", Printable.of("\u001b" + "y".repeat(19), 9));
    assertEquals("null", Printable.of(null));
  }
}
