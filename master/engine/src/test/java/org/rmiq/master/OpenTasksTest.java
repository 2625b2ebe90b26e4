package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

class OpenTasksTest {
  private static Job job(long id) {
    return new Job(
        id,
        JobSpec.of("job " + id, "square", List.of()),
        null,
        Job.State.RUNNING,
        0,
        new LinkedBlockingQueue<>());
  }

  private static List<TaskEntry> entries(Job job, long... ids) {
    List<TaskEntry> entries = new ArrayList<>();
    for (long id : ids) {
      entries.add(new TaskEntry(id, Long.toString(id), job));
    }
    return entries;
  }

  @Test
  void findsEachJobsTasksByIdAcrossBlocksAddedInAnyOrder() {
    OpenTasks open = new OpenTasks();
    Job first = job(1);
    Job second = job(2);
    Job restored = job(3);
    List<TaskEntry> a = entries(first, 1, 2, 3);
    List<TaskEntry> b = entries(second, 10, 11);
    List<TaskEntry> c = entries(restored, 5, 8); // restored from a journal: gaps
    open.addAll(b);
    open.addAll(a);
    open.addAll(c);

    assertEquals(7, open.size());
    for (TaskEntry e : a) {
      assertSame(e, open.get(e.id()));
    }
    assertSame(b.get(1), open.get(11));
    assertSame(c.get(1), open.get(8));
    assertNull(open.get(4)); // between blocks
    assertNull(open.get(6)); // a gap inside a block
    assertNull(open.get(0));
    assertNull(open.get(12));
    assertEquals(c, open.of(restored));
    assertEquals(a, open.of(first));
  }

  @Test
  void aCollectedTaskIsGoneAndAnEmptiedBlockIsDropped() {
    OpenTasks open = new OpenTasks();
    Job job = job(1);
    List<TaskEntry> a = entries(job, 1, 2);
    open.addAll(a);
    open.remove(a.get(0));
    assertFalse(open.contains(a.get(0)));
    assertTrue(open.contains(a.get(1)));
    open.remove(a.get(0)); // twice: nothing changes
    assertEquals(1, open.size());
    open.remove(a.get(1));
    assertEquals(0, open.size());
    assertEquals(List.of(), open.of(job));
    // the ids may be given again afterwards (a block no longer holds them)
    List<TaskEntry> again = entries(job, 1, 2);
    open.addAll(again);
    assertSame(again.get(1), open.get(2));
  }

  @Test
  void anIdOpenAlreadyIsRefusedAndNothingOfItsBatchIsAdded() {
    OpenTasks open = new OpenTasks();
    Job job = job(1);
    open.addAll(entries(job, 5, 6, 7));
    assertThrows(IllegalStateException.class, () -> open.addAll(entries(job, 7, 8)));
    assertThrows(IllegalStateException.class, () -> open.addAll(entries(job, 9, 9)));
    assertEquals(3, open.size());
    assertNull(open.get(8));
    assertNull(open.get(9));
  }

  @Test
  void idsAmongAnotherBlocksAreKeptAsideAndBehaveTheSame() {
    // only a journal edited by hand could interleave two jobs' ids
    OpenTasks open = new OpenTasks();
    Job first = job(1);
    Job second = job(2);
    List<TaskEntry> a = entries(first, 1, 9);
    List<TaskEntry> b = entries(second, 4, 5, 12);
    open.addAll(a);
    open.addAll(b);
    assertEquals(5, open.size());
    assertSame(b.get(0), open.get(4));
    assertSame(b.get(2), open.get(12));
    assertSame(a.get(1), open.get(9));
    assertEquals(b, open.of(second));
    assertEquals(a, open.of(first));
    open.remove(b.get(0));
    assertNull(open.get(4));
    assertEquals(4, open.size());
    assertThrows(IllegalStateException.class, () -> open.addAll(entries(second, 5)));
  }

  @Test
  void aReservedJobsTasksAreOpenBeforeTheirEntriesAreMadeAndItsBlockGoesWithTheLast() {
    OpenTasks open = new OpenTasks();
    Job job = job(1);
    open.reserve(100, 3, job);
    assertEquals(3, open.size(), "reserved tasks count as open");
    assertNull(open.get(100), "no entry before it is made");
    assertTrue(open.isUnmade(100));
    assertEquals(List.of(), open.of(job), "nothing made yet");
    assertThrows(IllegalStateException.class, () -> open.reserve(102, 5, job), "overlapping ids");
    assertThrows(IllegalStateException.class, () -> open.put(new TaskEntry(103, "x", job)));

    List<TaskEntry> made = entries(job, 100, 101, 102);
    made.forEach(open::put);
    assertThrows(IllegalStateException.class, () -> open.put(made.get(0)), "made twice");
    assertSame(made.get(1), open.get(101));
    assertFalse(open.isUnmade(101));
    assertEquals(made, open.of(job));
    assertEquals(List.of(), open.of(job(2)), "another job's block is not looked through");
    open.remove(made.get(0));
    open.remove(made.get(2));
    assertEquals(1, open.size());
    assertFalse(open.isUnmade(102), "collected, not waiting");
    open.remove(made.get(1));
    assertEquals(0, open.size());
    open.reserve(101, 1, job); // the old block is gone: its ids may be reserved again
    assertEquals(1, open.size());
  }
}
