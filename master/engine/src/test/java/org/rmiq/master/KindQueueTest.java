package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/** A kind's queue of made entries and runs of tasks made as they are handed out. */
class KindQueueTest {
  private final Registry registry = new Registry();
  private final OpenTasks open = new OpenTasks();

  private Job job(long id, long firstTaskId, List<String> inputs) {
    Job job =
        new Job(
            id,
            JobSpec.of("job " + id, "square", inputs),
            null,
            Job.State.RUNNING,
            0,
            new LinkedBlockingQueue<>());
    job.firstTaskId = firstTaskId;
    open.reserve(firstTaskId, inputs.size(), job);
    return job;
  }

  private Registry.SessionRec session(String name) throws Registry.Full {
    Registry.LinkRec link =
        registry.openLink(
            "host",
            InetAddress.getLoopbackAddress(),
            false,
            "",
            new java.util.concurrent.locks.ReentrantLock().newCondition(),
            0);
    return registry.openSession(link, name, 1, java.util.Set.of("square"), 0);
  }

  @Test
  void aRunHandsOutItsTasksInOrderMakingEachEntryOnlyWhenTaken() throws Exception {
    Job job = job(1, 10, new NumberRange(1, 3));
    UnmadeTasks run = new UnmadeTasks(job, open);
    KindQueue queue = new KindQueue("square");
    queue.addLast(run);
    Registry.SessionRec s = session("w");

    assertEquals(3, queue.size());
    assertNull(open.get(10));
    assertSame(run, queue.firstFor(s, registry, 8));
    TaskEntry first = queue.take(run);
    assertEquals(10, first.id());
    assertEquals("1", first.input());
    assertSame(first, open.get(10), "made and open");
    assertNull(open.get(11), "the next is not made yet");
    assertEquals(2, queue.size());

    queue.addFirst(first); // handed back: it waits at the front, before the run
    assertSame(first, queue.take(queue.firstFor(s, registry, 8)));
    assertEquals(11, queue.take(queue.firstFor(s, registry, 8)).id());
    assertEquals(12, queue.take(queue.firstFor(s, registry, 8)).id());
    assertTrue(queue.isEmpty());
    assertNull(queue.head(), "an exhausted run leaves the queue");
  }

  @Test
  void aRunBehindAnEntryASessionMayNotTakeIsStillFoundAndStaysInPlace() throws Exception {
    Job declined = job(1, 1, List.of("a"));
    Job later = job(2, 5, List.of("b", "c"));
    TaskEntry entry = TaskEntry.ofIndex(declined, 0);
    open.put(entry);
    Registry.SessionRec strict = session("strict");
    entry.declinedBy(strict.link);
    UnmadeTasks run = new UnmadeTasks(later, open);
    KindQueue queue = new KindQueue("square");
    queue.addLast(entry);
    queue.addLast(run);

    assertSame(run, queue.firstFor(strict, registry, 8));
    assertEquals(5, queue.take(run).id());
    assertSame(entry, queue.head(), "the declined task keeps its place at the front");
    assertEquals(2, queue.size());
    assertSame(entry, queue.firstFor(session("other"), registry, 8));
    assertTrue(queue.remove(run));
    assertEquals(1, queue.size(), "a removed run takes its unmade tasks with it");
  }
}
