package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharesTest {
  @Test
  void countsEachWorkerInTheOrderTheyFirstDelivered() {
    Shares shares = new Shares();
    for (String worker : List.of("bob", "bob", "alice", "bob", "carol", "alice", "alice")) {
      shares.add(new String(worker)); // equal names, not the same object: counted together
    }
    Map<String, Long> copy = shares.copy();
    assertEquals(Map.of("bob", 3L, "alice", 3L, "carol", 1L), copy);
    assertEquals(List.of("bob", "alice", "carol"), List.copyOf(copy.keySet()));
  }

  @Test
  void aCopyDoesNotMoveWithLaterCounts() {
    Shares shares = new Shares();
    shares.add("bob");
    Map<String, Long> before = shares.copy();
    shares.add("bob");
    assertEquals(Map.of("bob", 1L), before);
    assertEquals(Map.of("bob", 2L), shares.copy());
    assertEquals(Map.of(), new Shares().copy());
  }
}
