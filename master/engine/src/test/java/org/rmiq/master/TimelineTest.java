package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rmiq.report.JobTimeline;
import org.rmiq.report.JobTimeline.State;

class TimelineTest {
  private static final long MS = 1_000_000;

  @Test
  void aSpanEndsWhenItsResultArrivesAndStartsTheWorkersDurationBefore() {
    Timeline t = new Timeline(1_000 * MS);
    t.add(7, "w1", 2, 1_500 * MS, 200, State.OK);
    t.add(8, "w2", -1, 1_900 * MS, 900, State.REDELIVERED);
    JobTimeline r = t.report(3);
    assertEquals(List.of("w1", "w2"), r.workers());
    assertEquals(new JobTimeline.Span(7, 0, 2, 300, 200, State.OK), r.spans().get(0));
    assertEquals(new JobTimeline.Span(8, 1, -1, 0, 900, State.REDELIVERED), r.spans().get(1));
    assertEquals(2, r.seen());
    assertFalse(r.sampled());
  }

  @Test
  void aMillionSpansKeepAUniformSampleAndEveryNotableOneWithinTheBound() {
    Timeline t = new Timeline(0);
    int n = 1_000_000;
    for (int i = 0; i < n; i++) {
      State state = i % 10_000 == 0 ? State.FAILED : State.OK;
      t.add(i, "w" + (i % 30), i % 4, (long) i * MS, 1, state);
    }
    JobTimeline r = t.report(1);
    assertEquals(n, r.seen());
    assertTrue(r.sampled());
    assertEquals(Timeline.SAMPLE + n / 10_000, r.spans().size());
    assertEquals(n / 10_000, r.spans().stream().filter(s -> s.state() == State.FAILED).count());
    // uniform: about a tenth of the kept ok spans come from each tenth of the job
    long firstTenth = r.spans().stream().filter(s -> s.task() < n / 10).count();
    assertTrue(Math.abs(firstTenth - Timeline.SAMPLE / 10) < Timeline.SAMPLE / 40, "" + firstTenth);
  }

  @Test
  void workersThatLeaveAreMarkedAndLanesAndIdsSurviveThePacking() {
    Timeline t = new Timeline(0);
    t.add(2_000_000_000L, "w", 4094, 5 * MS, 5, State.BACKUP);
    t.workerEnded("w", 6 * MS, true);
    JobTimeline r = t.report(1);
    JobTimeline.Span s = r.spans().get(0);
    assertEquals(2_000_000_000L, s.task());
    assertEquals(4094, s.lane());
    assertEquals(State.BACKUP, s.state());
    assertEquals(List.of(new JobTimeline.WorkerEnd(0, 6, true)), r.ended());
  }
}
