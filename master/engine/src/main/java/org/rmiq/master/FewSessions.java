package org.rmiq.master;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A task's sessions (who was handed it, or who holds it now): almost always one, so the first is a
 * field and only a second one makes a list. A million queued tasks then cost no lists at all, where
 * two {@code ArrayList}s each took 112 bytes a task and kept the collector busy. Not thread-safe:
 * guarded, like its task entry, by the dispatcher's lock.
 */
final class FewSessions implements Iterable<Registry.SessionRec> {
  /**
   * The empty set every task starts with, shared: {@link #add} refuses it, so a task gets sets of
   * its own when it is first handed out ({@link TaskEntry#handedTo}).
   */
  static final FewSessions NONE = new FewSessions();

  private Registry.SessionRec first;
  private List<Registry.SessionRec> others; // null until a second session

  boolean isEmpty() {
    return first == null;
  }

  int size() {
    return first == null ? 0 : 1 + (others == null ? 0 : others.size());
  }

  /** The oldest session still here, or null. */
  Registry.SessionRec first() {
    return first;
  }

  boolean contains(Registry.SessionRec session) {
    return session == first || (others != null && others.contains(session));
  }

  void add(Registry.SessionRec session) {
    if (this == NONE) {
      throw new IllegalStateException("the shared empty set cannot take a session");
    }
    if (first == null) {
      first = session;
    } else {
      if (others == null) {
        others = new ArrayList<>(2);
      }
      others.add(session);
    }
  }

  /** Removes one occurrence; whether there was one. */
  boolean remove(Registry.SessionRec session) {
    if (session == null || first == null) {
      return false;
    }
    if (session == first) {
      first = others == null || others.isEmpty() ? null : others.remove(0);
      return true;
    }
    return others != null && others.remove(session);
  }

  void clear() {
    if (first != null) { // the shared empty set stays untouched
      first = null;
      others = null;
    }
  }

  /** A snapshot, so the caller may change this set while it walks the copy. */
  @Override
  public Iterator<Registry.SessionRec> iterator() {
    if (first == null) {
      return List.<Registry.SessionRec>of().iterator();
    }
    if (others == null || others.isEmpty()) {
      return List.of(first).iterator();
    }
    List<Registry.SessionRec> all = new ArrayList<>(1 + others.size());
    all.add(first);
    all.addAll(others);
    return all.iterator();
  }
}
