package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.LinkRequest;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.internal.wire.Slot;
import org.rmiq.internal.wire.SlotTasks;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.report.TaskOutcome;

/** What a submitter following a job over the network is told, in the moments that matter. */
class RemoteJobsTest {
  private final CountDownLatch journalWriting = new CountDownLatch(1);
  private final CountDownLatch journalMayFinish = new CountDownLatch(1);

  /** A journal that holds the last result's write until the test lets it finish. */
  private final Dispatcher dispatcher =
      new Dispatcher(
          new ManualTicker(),
          Duration.ofSeconds(10),
          Duration.ofMillis(500),
          new OutcomeSink() {
            @Override
            public void collected(List<TaskOutcome> outcomes) {
              journalWriting.countDown();
              try {
                journalMayFinish.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }

            @Override
            public void requeued(Map<Long, Integer> attempts) {}

            @Override
            public void ended(Job job) {}
          });

  @Test
  void aJobFinishedAMomentBeforeItsLastOutcomeIsQueuedIsNotYetDrained() throws Exception {
    Job job =
        dispatcher.create(
            JobSpec.of("square 7", "square", List.of("7")), false, new LinkedBlockingQueue<>());
    dispatcher.release(job);
    String link =
        dispatcher
            .openLink(
                new LinkRequest(MasterService.PROTOCOL, "host", false, "", ""),
                InetAddress.getLoopbackAddress(),
                null,
                false,
                List.of(),
                1000)
            .linkId();
    String session = dispatcher.openSession(link, "alice", 1, List.of("square")).id;
    ExchangeRequest ask = new ExchangeRequest(link, List.of(new Slot(session, List.of(), 1)), 0, 0);
    dispatcher.collectFrom(ask);
    Task task =
        dispatcher.handOut(ask, 0, List.of()).tasks().stream()
            .map(SlotTasks::tasks)
            .flatMap(List::stream)
            .findFirst()
            .orElseThrow();

    // the worker's result: collected under the lock (the job is finished), then journaled
    ExchangeRequest result =
        new ExchangeRequest(
            link, List.of(new Slot(session, List.of(TaskResult.ok(task.id(), "49", 1)), 0)), 0, 0);
    CompletableFuture<Void> worker =
        CompletableFuture.runAsync(
            () -> {
              try {
                dispatcher.collectFrom(result);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(journalWriting.await(30, TimeUnit.SECONDS));
    assertEquals(Job.State.FINISHED, job.state()); // finished, its outcome not yet queued

    RemoteJobs.Drained meanwhile = RemoteJobs.drain(job, 100, Duration.ofMillis(20));
    assertEquals(List.of(), meanwhile.outcomes());
    assertFalse(meanwhile.drained(), "the last outcome is still to come");

    journalMayFinish.countDown();
    worker.get(30, TimeUnit.SECONDS);
    RemoteJobs.Drained last = RemoteJobs.drain(job, 100, Duration.ofSeconds(5));
    assertEquals(List.of("49"), last.outcomes().stream().map(TaskOutcome::value).toList());
    assertTrue(last.drained(), "every outcome handed out: nothing more will come");
    RemoteJobs.Drained after = RemoteJobs.drain(job, 100, Duration.ofSeconds(5));
    assertEquals(List.of(), after.outcomes());
    assertTrue(after.drained());
  }
}
