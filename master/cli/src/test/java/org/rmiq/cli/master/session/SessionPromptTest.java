package org.rmiq.cli.master.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionPromptTest {
  @Test
  void promptLinesSplitIntoWordsKeepingQuotesTogether() {
    assertEquals(
        List.of("task", "echo", "a b,c", "--out", "x.csv"),
        SessionPrompt.words("task echo 'a b,c'  --out \"x.csv\""));
    assertEquals(List.of(), SessionPrompt.words("   "));
  }
}
