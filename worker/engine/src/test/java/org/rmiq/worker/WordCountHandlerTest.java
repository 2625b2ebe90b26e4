package org.rmiq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WordCountHandlerTest {
  private final WordCountHandler handler = new WordCountHandler();

  @Test
  void aWordIsLettersAndDigitsWithApostrophesOnlyInside() {
    assertEquals(
        "don't\t2\nfailed\t1\no'clock\t1\nrock’n’roll\t1\nthe\t2\n",
        handler.execute("'failed' -- Don't ' don't THE the o'clock ' '' rock’n’roll'"));
  }

  @Test
  void digitsAndOtherAlphabetsCountToo() {
    assertEquals("1984\t1\nélan\t1\nπ\t1\n", handler.execute("1984, élan; π!"));
  }
}
