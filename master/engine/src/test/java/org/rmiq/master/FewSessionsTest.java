package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FewSessionsTest {
  private static Registry.SessionRec session(String id) {
    return new Registry.SessionRec(id, null, null, 1, Set.of("square"));
  }

  private static List<Registry.SessionRec> list(FewSessions few) {
    List<Registry.SessionRec> all = new ArrayList<>();
    few.forEach(all::add);
    return all;
  }

  @Test
  void behavesLikeAListOfSessionsFromNoneToSeveral() {
    Registry.SessionRec a = session("a");
    Registry.SessionRec b = session("b");
    Registry.SessionRec c = session("c");
    FewSessions few = new FewSessions();
    assertTrue(few.isEmpty());
    assertEquals(0, few.size());
    assertFalse(few.remove(a));

    few.add(a);
    assertEquals(List.of(a), list(few));
    few.add(b);
    few.add(c);
    assertEquals(List.of(a, b, c), list(few));
    assertEquals(3, few.size());
    assertTrue(few.contains(b));

    assertTrue(few.remove(a)); // the first goes: the next one takes its place
    assertEquals(List.of(b, c), list(few));
    assertTrue(few.remove(c));
    assertFalse(few.remove(c));
    assertEquals(List.of(b), list(few));
    assertTrue(few.remove(b));
    assertTrue(few.isEmpty());
    assertFalse(few.contains(b));

    few.add(c);
    few.add(a);
    few.clear();
    assertTrue(few.isEmpty());
    assertEquals(List.of(), list(few));
  }

  @Test
  void walkingACopyAllowsChangesMeanwhile() {
    Registry.SessionRec a = session("a");
    Registry.SessionRec b = session("b");
    FewSessions few = new FewSessions();
    few.add(a);
    few.add(b);
    for (Registry.SessionRec s : few) {
      few.remove(s);
    }
    assertTrue(few.isEmpty());
  }
}
