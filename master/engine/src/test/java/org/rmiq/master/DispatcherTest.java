package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.rmiq.internal.wire.ExchangeReply;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.Slot;
import org.rmiq.internal.wire.SlotTasks;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.internal.wire.UnknownLinkException;
import org.rmiq.report.JobProgress;
import org.rmiq.report.TaskOutcome;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/** The delivery rules, on a manual clock: no RMI, no sleeping. */
class DispatcherTest {
  private final ManualTicker ticker = new ManualTicker();
  private final List<TaskOutcome> collected = new CopyOnWriteArrayList<>();
  private final List<Job> ended = new CopyOnWriteArrayList<>();
  private volatile boolean journalBroken;
  private final Dispatcher dispatcher =
      new Dispatcher(
          ticker,
          Duration.ofSeconds(10),
          Duration.ofMillis(500),
          new OutcomeSink() {
            @Override
            public void collected(List<TaskOutcome> outcomes) throws IOException {
              if (journalBroken) {
                throw new IOException("No space left on device");
              }
              collected.addAll(outcomes);
            }

            @Override
            public void requeued(Map<Long, Integer> attempts) {}

            @Override
            public void ended(Job job) {
              ended.add(job);
            }
          });

  /** Whatever a test did, every task is counted exactly once: waiting, held or collected. */
  @org.junit.jupiter.api.AfterEach
  void everyTaskIsCountedOnce() {
    for (Job job : dispatcher.jobs()) {
      JobProgress p = job.progress();
      assertEquals(
          p.submitted(),
          p.pending() + p.leased() + p.succeeded() + p.failed() + p.cancelled(),
          job + ": " + p);
      assertTrue(p.pending() >= 0 && p.leased() >= 0, job + ": " + p);
    }
  }

  private Job job(String kind, int attempts, Duration timeout, String... inputs) {
    return submit(new JobSpec(kind + " job", kind, List.of(inputs), attempts, timeout, null));
  }

  /** Creates the job and releases its tasks to the queue, as the master does. */
  private Job submit(JobSpec spec) {
    Job job = dispatcher.create(spec, false, new LinkedBlockingQueue<>());
    dispatcher.release(job);
    return job;
  }

  private Job job(String kind, String... inputs) {
    return job(kind, 3, Duration.ZERO, inputs);
  }

  /** A worker JVM's request for a new link that accepts no code. */
  private static org.rmiq.internal.wire.LinkRequest link(String host) {
    return new org.rmiq.internal.wire.LinkRequest(
        org.rmiq.internal.wire.MasterService.PROTOCOL, host, false, "", "");
  }

  /** A link with one session of {@code threads} running {@code kinds}; returns [link, session]. */
  private String[] worker(String name, int threads, String... kinds) throws Exception {
    String link =
        dispatcher
            .openLink(link("host"), InetAddress.getLoopbackAddress(), null, false, List.of(), 1000)
            .linkId();
    String session = dispatcher.openSession(link, name, threads, List.of(kinds)).id;
    return new String[] {link, session};
  }

  /** Like {@link #worker} on a computer at {@code address} (a literal IP). */
  private String[] workerAt(String address, String name, String... kinds) throws Exception {
    String link =
        dispatcher
            .openLink(link("host"), InetAddress.getByName(address), null, false, List.of(), 1000)
            .linkId();
    String session = dispatcher.openSession(link, name, 1, List.of(kinds)).id;
    return new String[] {link, session};
  }

  /** One exchange: results in, up to {@code room} tasks out, no waiting. */
  private List<Task> exchange(String[] w, int room, TaskResult... results) throws Exception {
    ExchangeRequest request =
        new ExchangeRequest(w[0], List.of(new Slot(w[1], List.of(results), room)), 0, 0);
    dispatcher.collectFrom(request);
    ExchangeReply reply = dispatcher.handOut(request, 0, List.of());
    List<Task> tasks = new ArrayList<>();
    for (SlotTasks slot : reply.tasks()) {
      tasks.addAll(slot.tasks());
    }
    return tasks;
  }

  private static TaskResult ok(Task t, String value) {
    return TaskResult.ok(t.id(), value, 1);
  }

  @Test
  void theTimelineDrawsAnAttemptWhereItRanNotWhenItsResultArrived() throws Exception {
    Job job = job("square", "1", "2");
    String[] w = worker("w1", 1, "square");
    List<Task> tasks = exchange(w, 2);
    ticker.advance(Duration.ofMillis(100));
    // ran 30 ms and waited 40 ms on the worker for an exchange: it ran from 30 to 60 ms
    exchange(w, 0, TaskResult.ok(tasks.get(0).id(), "1", 30).waited(40));
    // a worker's claim moves only its own span, and never before the job's start
    exchange(w, 0, TaskResult.ok(tasks.get(1).id(), "4", 30).waited(Long.MAX_VALUE));
    Map<Long, org.rmiq.report.JobTimeline.Span> spans = new HashMap<>();
    job.timelineReport().spans().forEach(span -> spans.put(span.task(), span));
    assertEquals(30, spans.get(tasks.get(0).id()).startMillis());
    assertEquals(30, spans.get(tasks.get(0).id()).millis());
    assertEquals(0, spans.get(tasks.get(1).id()).startMillis());
    assertEquals(2, job.progress().succeeded(), "both results counted all the same");
  }

  @Test
  void aJobTooBigForTheHeapIsRefusedWholeAndRoomComesBackWhenAJobEnds() throws Exception {
    // a heap with room for 34 one-character tasks (90 % of 10,000 bytes at 262 each)
    Dispatcher small =
        new Dispatcher(
            ticker, Duration.ofSeconds(10), Duration.ofMillis(500), OutcomeSink.DISCARD, 10_000);
    List<String> forty = java.util.Collections.nCopies(40, "7");
    List<String> twenty = java.util.Collections.nCopies(20, "7");
    IllegalArgumentException tooBig =
        assertThrows(
            IllegalArgumentException.class,
            () -> small.create(JobSpec.of("a", "square", forty), false, null));
    assertTrue(
        tooBig.getMessage().startsWith("a job of 40 tasks needs about"), tooBig.getMessage());
    assertTrue(
        tooBig.getMessage().contains("Split the job, or start the master with a bigger heap"));
    assertEquals(List.of(), small.jobs()); // nothing was made

    Job first = small.create(JobSpec.of("b", "square", twenty), false, new LinkedBlockingQueue<>());
    small.release(first);
    IllegalArgumentException busy =
        assertThrows(
            IllegalArgumentException.class,
            () -> small.create(JobSpec.of("c", "square", twenty), true, null));
    assertTrue(
        busy.getMessage().contains("1 queued or running job(s) hold")
            && busy.getMessage().contains("or wait for those to end"),
        busy.getMessage());

    first.cancel("the teacher moved on");
    assertEquals(List.of(), first.spec().inputs()); // an ended job keeps no inputs
    assertEquals("b", first.spec().spec());
    // a job its tasks refuse (after the plan took room for it) gives the room back at once
    JobSpec badCode = new JobSpec("d", "square", twenty, 3, Duration.ZERO, "not-a-sha-256");
    assertThrows(IllegalArgumentException.class, () -> small.create(badCode, true, null));
    Job second = small.create(JobSpec.of("c", "square", twenty), true, new LinkedBlockingQueue<>());
    small.release(second);
    second.cancel("done");
  }

  @Test
  void aThousandEndedJobsStayListedAndOlderOnesAreForgotten() {
    for (int i = 0; i < JobBook.ENDED_JOBS_KEPT + 5; i++) {
      job("square", "1").cancel("next");
    }
    Job running = job("square", "2");
    List<Job> listed = dispatcher.jobs();
    assertEquals(JobBook.ENDED_JOBS_KEPT + 1, listed.size());
    assertEquals(6, listed.get(0).id()); // the first five are gone
    assertEquals(running, listed.get(listed.size() - 1));
    running.cancel("done");
  }

  @Test
  void tasksGoOutInOrderAndEachIsCollectedOnceWithItsWorkersName() throws Exception {
    Job job = job("square", "1", "2", "3");
    String[] w = worker("alice", 4, "square");
    List<Task> tasks = exchange(w, 10);
    assertEquals(List.of("1", "2", "3"), tasks.stream().map(Task::input).toList());
    exchange(w, 0, ok(tasks.get(0), "1"), ok(tasks.get(1), "4"), ok(tasks.get(1), "4"));
    assertEquals(List.of("1", "4"), collected.stream().map(TaskOutcome::value).toList());
    assertEquals("alice", collected.get(0).worker());
    assertEquals(1, dispatcher.stats().duplicates());
    exchange(w, 0, ok(tasks.get(2), "9"));
    assertEquals(Job.State.FINISHED, job.state());
    assertEquals(List.of(job), ended);
  }

  @Test
  void replicatedTasksRunInTwoWorkerJvmsAndCountOnlyWhenTheValuesAgree() throws Exception {
    Job job = submit(JobSpec.of("square 3,4", "square", List.of("3", "4")).withReplicas(2));
    String[] alice = worker("alice", 4, "square");
    String aliceTwin = dispatcher.openSession(alice[0], "alice-2", 4, List.of("square")).id;
    String[] bob = worker("bob", 4, "square");

    List<Task> toAlice = exchange(alice, 10);
    assertEquals(List.of("3", "4"), toAlice.stream().map(Task::input).toList());
    // Another session of alice's JVM may not be her cross-check.
    assertEquals(List.of(), exchange(new String[] {alice[0], aliceTwin}, 10));
    List<Task> toBob = exchange(bob, 10);
    assertEquals(List.of("3", "4"), toBob.stream().map(Task::input).toList());

    exchange(alice, 0, ok(toAlice.get(0), "9"), ok(toAlice.get(1), "16"));
    assertEquals(List.of(), collected, "one answer of two collects nothing");
    assertEquals(Job.State.RUNNING, job.state());

    exchange(bob, 0, ok(toBob.get(0), "9"), ok(toBob.get(1), "666"));
    assertEquals(2, collected.size());
    TaskOutcome agreed = collected.get(0);
    assertTrue(agreed.ok(), agreed.toString());
    assertEquals("9", agreed.value());
    assertEquals("alice, bob", agreed.details().get("agreed"), "who agreed, for the results");
    TaskOutcome disputed = collected.get(1);
    assertFalse(disputed.ok(), disputed.toString());
    assertEquals(
        "the replicas disagree: alice answered '16'; bob answered '666'", disputed.error());
    assertEquals(Job.State.FINISHED, job.state());
  }

  @Test
  void aStudentsTwoJvmsCannotCrossCheckEachOtherWhileAnotherComputerRunsTheKind() throws Exception {
    Job job = submit(JobSpec.of("square 7", "square", List.of("7")).withReplicas(2));
    String[] mallory = workerAt("10.0.0.66", "mallory", "square");
    String[] mallorysOther = workerAt("10.0.0.66", "mallory-too", "square");
    String[] alice = workerAt("10.0.0.1", "alice", "square");
    Task t = exchange(mallory, 1).get(0);
    assertEquals(List.of(), exchange(mallorysOther, 1), "alice's computer can take it");
    exchange(mallory, 0, ok(t, "50"));
    assertEquals(List.of(), exchange(mallorysOther, 1), "answered there already");
    assertEquals(t.id(), exchange(alice, 1).get(0).id());
    exchange(alice, 0, ok(t, "49"));
    assertEquals(1, collected.size());
    assertEquals(
        "the replicas disagree: mallory answered '50'; alice answered '49'",
        collected.get(0).error());
    assertEquals(Job.State.FINISHED, job.state());
    assertEquals(List.of(), Notices.replicasShareComputers(dispatcher.snapshot(), job));
  }

  @Test
  void whenEveryComputerIsInvolvedAReplicaRunsInAnotherJvmOfOneAndTheNoticeSaysSo()
      throws Exception {
    Job job = submit(JobSpec.of("square 3", "square", List.of("3")).withReplicas(3));
    String[] a1 = workerAt("10.0.0.1", "a1", "square");
    String[] a2 = workerAt("10.0.0.1", "a2", "square");
    String[] b = workerAt("10.0.0.2", "b", "square");
    String[] other = workerAt("10.0.0.3", "c", "sleep"); // runs another kind: no help
    Task t = exchange(a1, 1).get(0);
    assertEquals(List.of(), exchange(a2, 1), "b's computer is not involved yet");
    assertEquals(List.of(), exchange(other, 1));
    assertEquals(t.id(), exchange(b, 1).get(0).id());
    assertEquals(t.id(), exchange(a2, 1).get(0).id(), "both computers are involved now");
    assertEquals(
        List.of(
            "job "
                + job.id()
                + " cross-checks each task on 3 different computers where it can ("
                + SettingNames.of(Setting.REPLICAS)
                + "),"
                + " but the workers that run 'square' are on 2 computer(s): until more join, some"
                + " replicas run in other JVMs of the same computer, which one person could run"),
        Notices.replicasShareComputers(dispatcher.snapshot(), job));
    assertEquals(
        List.of(),
        Notices.tooFewForReplicas(dispatcher.snapshot(), job),
        "it is no reason to wait");
    exchange(a1, 0, ok(t, "9"));
    exchange(b, 0, ok(t, "9"));
    exchange(a2, 0, ok(t, "9"));
    assertEquals("9", collected.get(0).value());
    assertEquals(Job.State.FINISHED, job.state());
  }

  @Test
  void aReplicaWhoseWorkerFailsOrLeavesIsRunByAnotherJvm() throws Exception {
    Job job = submit(JobSpec.of("square 5", "square", List.of("5")).withReplicas(2));
    String[] alice = worker("alice", 1, "square");
    String[] bob = worker("bob", 1, "square");
    String[] carol = worker("carol", 1, "square");
    Task t = exchange(alice, 1).get(0);
    assertEquals(t.id(), exchange(bob, 1).get(0).id());
    assertEquals(List.of(), exchange(carol, 1), "two replicas are under way");
    // bob's attempt fails (retryable): the task waits for a worker other than alice
    exchange(bob, 0, TaskResult.failed(t.id(), "flaky", true, 1));
    exchange(alice, 0, ok(t, "25"));
    assertEquals(List.of(), collected);
    assertEquals(List.of(), exchange(alice, 1), "alice answered already");
    Task again = exchange(carol, 1).get(0);
    exchange(carol, 0, ok(again, "25"));
    assertEquals(1, collected.size());
    assertEquals("25", collected.get(0).value());
    assertTrue(collected.get(0).ok());
    assertEquals(Job.State.FINISHED, job.state());
  }

  @Test
  void oneReplyCarriesAtMostTheLimitHoweverManySessionsAsk() throws Exception {
    String[] inputs = new String[15_000];
    Arrays.fill(inputs, "1");
    job("square", inputs);
    String link =
        dispatcher
            .openLink(link("host"), InetAddress.getLoopbackAddress(), null, false, List.of(), 1000)
            .linkId();
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Registry.SessionRec session = dispatcher.openSession(link, "w" + i, 4096, List.of("square"));
      session.delivered = 100_000; // sessions that earned big batches by delivering
      slots.add(new Slot(session.id, List.of(), ExchangeRequest.MAX_TASKS));
    }
    ExchangeRequest request = new ExchangeRequest(link, slots, 0, 0);
    dispatcher.collectFrom(request);
    ExchangeReply reply = dispatcher.handOut(request, 0, List.of());
    assertEquals(
        ExchangeRequest.MAX_TASKS, reply.tasks().stream().mapToInt(t -> t.tasks().size()).sum());
  }

  @Test
  void aWorkerThatLeavesHandsBackWhatItHeldAtOnce() throws Exception {
    job("sleep", "500", "500", "500", "500");
    String[] w = worker("alice", 1, "sleep");
    List<Task> held = exchange(w, 4);
    assertEquals(2, held.size(), "a 1-thread session holds two");
    exchange(w, 0, ok(held.get(0), "slept"));
    dispatcher.leave(w[0], List.of(w[1]), true);
    DispatcherSnapshot.Stats s = dispatcher.stats();
    assertEquals(1, s.succeeded());
    assertEquals(0, s.leased());
    assertEquals(3, s.pending());
  }

  @Test
  void aResultFromASessionThatWasNeverGivenTheTaskIsRefusedAndCounted() throws Exception {
    job("square", "5");
    String[] honest = worker("honest", 1, "square");
    String[] student = worker("student", 1, "square");
    Task task = exchange(honest, 1).get(0);
    exchange(student, 0, TaskResult.ok(task.id(), "666", 1));
    assertTrue(collected.isEmpty(), "a forged result was collected");
    assertEquals(1, dispatcher.stats().forged());
    exchange(honest, 0, ok(task, "25"));
    assertEquals("25", collected.get(0).value());
    assertEquals("honest", collected.get(0).worker());
  }

  @Test
  void aResultForATaskNobodyWasHandedYetIsForgedNotLate() throws Exception {
    Job job = job("square", "1", "2", "3");
    String[] student = worker("student", 1, "square");
    Task first = exchange(student, 1).get(0);
    // the next two wait, their entries not made yet: claiming them is forging, not being late
    exchange(student, 0, TaskResult.ok(first.id() + 1, "666", 1));
    exchange(student, 0, TaskResult.ok(first.id() + 2, "666", 1));
    assertEquals(2, dispatcher.stats().forged());
    assertEquals(0, dispatcher.stats().duplicates());
    exchange(student, 0, ok(first, "1"));
    exchange(student, 0, ok(first, "1"));
    assertEquals(1, dispatcher.stats().duplicates(), "a collected task's second result is late");
    assertEquals(3, job.progress().pending() + job.progress().leased() + collected.size());
  }

  @Test
  void aSessionIdNobodyJoinedWithCannotReportEither() throws Exception {
    job("square", "5");
    String[] honest = worker("honest", 1, "square");
    Task task = exchange(honest, 1).get(0);
    String[] stranger = worker("stranger", 1, "square");
    ExchangeRequest forged =
        new ExchangeRequest(
            stranger[0],
            List.of(new Slot("0123456789abcdef0123456789abcdef", List.of(ok(task, "666")), 0)),
            0,
            0);
    dispatcher.collectFrom(forged);
    assertTrue(collected.isEmpty());
    assertEquals(1, dispatcher.stats().forged());
    assertEquals(
        List.of("0123456789abcdef0123456789abcdef"),
        dispatcher.handOut(forged, 0, List.of()).unknownSessions());
  }

  @Test
  void aSessionHoldsAtMostTwiceItsThreadsUntilItDeliversWork() throws Exception {
    job("sleep", java.util.Collections.nCopies(40, "1000").toArray(String[]::new));
    String[] hoarder = worker("hoarder", 1, "sleep");
    assertEquals(2, exchange(hoarder, 40).size());
    assertEquals(0, exchange(hoarder, 40).size(), "it holds two and delivered nothing");
    String[] honest = worker("honest", 1, "sleep");
    List<Task> mine = exchange(honest, 40);
    assertEquals(2, mine.size());
    List<Task> more = exchange(honest, 40, ok(mine.get(0), "slept"), ok(mine.get(1), "slept"));
    assertEquals(6, more.size(), "two threads' worth, plus twice what it delivered");
  }

  @Test
  void aSilentWorkersTasksGoBackToTheFrontAndCountAsAttempts() throws Exception {
    job("square", "1", "2");
    String[] gone = worker("gone", 2, "square");
    exchange(gone, 2);
    ticker.advance(Duration.ofSeconds(11));
    Dispatcher.Swept swept = dispatcher.sweep();
    assertEquals(List.of("gone"), swept.expiredWorkers());
    String[] next = worker("next", 2, "square");
    List<Task> again = exchange(next, 2);
    assertEquals(List.of("1", "2"), again.stream().map(Task::input).toList());
    exchange(next, 0, ok(again.get(0), "1"), ok(again.get(1), "4"));
    assertEquals(List.of(2, 2), collected.stream().map(TaskOutcome::attempts).toList());
  }

  @Test
  void aLateResultFromAnExpiredSessionStillCountsOnceAndTheRetakerIsADuplicate() throws Exception {
    job("square", "7");
    String[] slow = worker("slow", 1, "square");
    Task task = exchange(slow, 1).get(0);
    ticker.advance(Duration.ofSeconds(11));
    dispatcher.sweep();
    String[] fresh = worker("fresh", 1, "square");
    Task retaken = exchange(fresh, 1).get(0);
    assertEquals(task.id(), retaken.id());
    // The slow worker re-joined on a new link and delivers under its old session.
    String[] rejoined = worker("slow", 1, "square");
    ExchangeRequest late =
        new ExchangeRequest(
            rejoined[0], List.of(new Slot(slow[1], List.of(ok(task, "49")), 0)), 0, 0);
    dispatcher.collectFrom(late);
    assertEquals(1, collected.size());
    assertEquals("slow", collected.get(0).worker());
    exchange(fresh, 0, ok(retaken, "49"));
    assertEquals(1, collected.size());
    assertEquals(1, dispatcher.stats().duplicates());
  }

  @Test
  void aTaskThatKeepsLosingItsWorkerFailsAfterItsLastAttempt() throws Exception {
    job("square", 2, Duration.ZERO, "7");
    for (int i = 0; i < 2; i++) {
      String[] w = worker("w" + i, 1, "square");
      exchange(w, 1);
      ticker.advance(Duration.ofSeconds(11));
      dispatcher.sweep();
    }
    assertEquals(1, collected.size());
    assertFalse(collected.get(0).ok());
    assertEquals(
        "lease expired on each of 2 attempts (last: w1 stopped answering)",
        collected.get(0).error());
  }

  @Test
  void retryableFailuresBackOffThenFailForGoodAfterTheLastAttempt() throws Exception {
    job("flaky", "x");
    String[] w = worker("w", 1, "flaky");
    Task t = exchange(w, 1).get(0);
    exchange(w, 0, TaskResult.failed(t.id(), "boom", true, 1));
    assertTrue(exchange(w, 1).isEmpty(), "it waits out its back-off");
    ticker.advance(Duration.ofMillis(500));
    t = exchange(w, 1).get(0);
    exchange(w, 0, TaskResult.failed(t.id(), "boom", true, 1));
    ticker.advance(Duration.ofSeconds(1));
    t = exchange(w, 1).get(0);
    exchange(w, 0, TaskResult.failed(t.id(), "boom again", true, 1));
    assertEquals(1, collected.size());
    assertEquals("boom again", collected.get(0).error());
    assertEquals(3, collected.get(0).attempts());
  }

  @Test
  void badInputFailsAtOnce() throws Exception {
    job("square", "abc");
    String[] w = worker("w", 1, "square");
    Task t = exchange(w, 1).get(0);
    exchange(w, 0, TaskResult.failed(t.id(), "'abc' is not an integer", false, 1));
    assertEquals(1, collected.get(0).attempts());
    assertFalse(collected.get(0).ok());
  }

  @Test
  void anOverdueTaskGoesToAnotherWorkerAndTheFirstResultWins() throws Exception {
    job("sleep", 2, Duration.ofSeconds(5), "60000");
    String[] stuck = worker("stuck", 1, "sleep");
    String[] idle = worker("idle", 1, "sleep");
    Task task = exchange(stuck, 1).get(0);
    assertEquals(5000, task.timeoutMillis());
    assertTrue(exchange(idle, 1).isEmpty());
    ticker.advance(Duration.ofSeconds(6)); // past the timeout and its one second of slack
    assertEquals(1, dispatcher.sweep().overdue());
    Task again = exchange(idle, 1).get(0);
    assertEquals(task.id(), again.id());
    exchange(idle, 0, ok(again, "slept"));
    exchange(stuck, 0, ok(task, "slept"));
    assertEquals(1, collected.size());
    assertEquals("idle", collected.get(0).worker());
    assertEquals(2, collected.get(0).attempts());
  }

  @Test
  void aTaskOverdueOnItsLastAttemptFailsAndIsWithdrawnFromItsWorker() throws Exception {
    job("sleep", 1, Duration.ofSeconds(5), "60000");
    String[] stuck = worker("stuck", 1, "sleep");
    Task task = exchange(stuck, 1).get(0);
    ticker.advance(Duration.ofSeconds(7));
    dispatcher.sweep();
    assertEquals(
        "ran past the task timeout of 5s on each of 1 attempts (last on stuck)",
        collected.get(0).error());
    ExchangeRequest next =
        new ExchangeRequest(stuck[0], List.of(new Slot(stuck[1], List.of(), 1)), 0, 0);
    dispatcher.collectFrom(next);
    assertEquals(List.of(task.id()), dispatcher.handOut(next, 0, List.of()).withdrawn());
  }

  @Test
  void cancellingAJobWithdrawsItsTasksAndReportsEachAsCancelledNotFailed() throws Exception {
    Job job = job("sleep", "1", "2", "3");
    String[] w = worker("w", 1, "sleep");
    Task running = exchange(w, 1).get(0);
    job.cancel("Ctrl-C on the submitter");
    assertEquals(Job.State.CANCELLED, job.state());
    assertEquals(3, collected.size());
    assertTrue(
        collected.stream()
            .allMatch(o -> o.cancelled() && o.error().equals("Ctrl-C on the submitter")));
    assertEquals(3, job.progress().cancelled());
    assertEquals(0, job.progress().failed(), "a cancelled task is not a failure");
    ExchangeRequest next =
        new ExchangeRequest(w[0], List.of(new Slot(w[1], List.of(ok(running, "late")), 1)), 0, 0);
    dispatcher.collectFrom(next);
    assertEquals(List.of(running.id()), dispatcher.handOut(next, 0, List.of()).withdrawn());
    assertEquals(3, collected.size(), "the late result is a duplicate");
  }

  @Test
  void aJobOverANumberRangeHandsOutAndReportsEachNumber() throws Exception {
    Job job = submit(JobSpec.of("square 9..11", "square", new NumberRange(9, 11)));
    String[] w = worker("w", 3, "square");
    List<Task> tasks = exchange(w, 3);
    assertEquals(List.of("9", "10", "11"), tasks.stream().map(Task::input).toList());
    exchange(w, 0, ok(tasks.get(0), "81"));
    job.cancel("enough"); // the ones still open are reported with their input too
    assertEquals(
        java.util.Set.of("9", "10", "11"),
        java.util.Set.copyOf(collected.stream().map(TaskOutcome::input).toList()));
    assertEquals(3, collected.size());
    assertEquals(List.of(), job.spec().inputs(), "an ended job keeps no inputs");
  }

  @Test
  void aRetryGoesBehindTheTasksOfItsJobThatWaitAndACancelReportsTheUntouchedOnes()
      throws Exception {
    Job job = submit(JobSpec.of("square 1..5", "square", new NumberRange(1, 5)));
    String[] w = worker("w", 1, "square");
    Task first = exchange(w, 1).get(0);
    exchange(w, 0, TaskResult.failed(first.id(), "flaky", true, 1));
    ticker.advance(Duration.ofSeconds(1)); // its back-off is over: it goes to the back
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Task t = exchange(w, 1).get(0);
      order.add(t.input());
      exchange(w, 0, ok(t, "ok"));
    }
    assertEquals(List.of("2", "3", "4"), order);
    job.cancel("enough");
    assertEquals(
        List.of("2", "3", "4", "1", "5"),
        collected.stream().map(TaskOutcome::input).toList(),
        "the waiting retry and the never-handed-out 5 are reported too, in id order");
  }

  @Test
  void aQueuedJobWaitsUntilStartedAndJobsRunInOrder() throws Exception {
    Job second =
        dispatcher.create(
            JobSpec.of("second", "square", List.of("2")), true, new LinkedBlockingQueue<>());
    dispatcher.release(second);
    String[] w = worker("w", 2, "square");
    assertTrue(exchange(w, 2).isEmpty());
    assertEquals(Job.State.QUEUED, second.state());
    second.start();
    assertEquals("2", exchange(w, 2).get(0).input());
  }

  @Test
  void aWorkerThatLeavesGivesItsTasksBackAtOnceWithoutUsingAnAttempt() throws Exception {
    job("square", "1", "2");
    String[] w = worker("w", 2, "square");
    exchange(w, 2);
    dispatcher.leave(w[0], List.of(w[1]), true);
    String[] other = worker("other", 2, "square");
    List<Task> again = exchange(other, 2);
    exchange(other, 0, ok(again.get(0), "1"), ok(again.get(1), "4"));
    assertEquals(List.of(1, 1), collected.stream().map(TaskOutcome::attempts).toList());
  }

  @Test
  void aWorkerOnlyGetsKindsItRunsAndCodeItHasLoaded() throws Exception {
    job("isprime", "7");
    String[] plain = worker("plain", 1, "square");
    assertTrue(exchange(plain, 1).isEmpty());
    assertEquals(Map.of("isprime", 1), dispatcher.snapshot().unserved());
    Job shipped =
        dispatcher.create(
            JobSpec.of("run Collatz.java 27", "collatz", List.of("27")).withCode("c".repeat(64)),
            false,
            new LinkedBlockingQueue<>());
    dispatcher.release(shipped);
    String[] accepting = worker("accepting", 1, "square", "collatz");
    assertTrue(
        exchange(accepting, 1).isEmpty(), "its kinds say collatz but it has not loaded the code");
    ExchangeRequest loaded =
        new ExchangeRequest(
            accepting[0],
            List.of(new Slot(accepting[1], List.of(), 1, null, List.of("c".repeat(64)))),
            0,
            0);
    dispatcher.collectFrom(loaded);
    assertEquals(
        "27", dispatcher.handOut(loaded, 0, List.of()).tasks().get(0).tasks().get(0).input());
  }

  @Test
  void namesStayUniqueAndARejoiningWorkerKeepsItsRow() throws Exception {
    String[] a = worker("alice@lab1", 1, "square");
    String[] b = worker("alice@lab1", 1, "square");
    assertEquals(
        List.of("alice@lab1", "alice@lab1#2"),
        dispatcher.snapshot().workers().stream().map(WorkerSummary::name).sorted().toList());
    dispatcher.leave(a[0], List.of(a[1]), true);
    worker("alice@lab1", 1, "square");
    assertEquals(2, dispatcher.snapshot().workers().size(), "the returning alice reuses her row");
    dispatcher.leave(b[0], List.of(b[1]), true);
  }

  @Test
  void anExchangeWithRoomWaitsForWorkAndANewJobWakesIt() throws Exception {
    String[] w = worker("w", 1, "square");
    ExchangeRequest waiting =
        new ExchangeRequest(w[0], List.of(new Slot(w[1], List.of(), 1)), 5000, 0);
    Thread submitter =
        new Thread(
            () -> {
              org.awaitility.Awaitility.await().until(() -> dispatcher.isLive(w[0], true));
              job("square", "9");
            });
    submitter.start();
    ExchangeReply reply = dispatcher.handOut(waiting, 0, List.of());
    submitter.join();
    assertEquals("9", reply.tasks().get(0).tasks().get(0).input());
  }

  @Test
  void finishingWakesWaitersAndTellsTheirWorkers() throws Exception {
    String[] w = worker("w", 1, "square");
    ExchangeRequest waiting =
        new ExchangeRequest(w[0], List.of(new Slot(w[1], List.of(), 1)), 5000, 0);
    Thread finisher =
        new Thread(
            () -> {
              org.awaitility.Awaitility.await().until(() -> dispatcher.isLive(w[0], true));
              dispatcher.finish();
            });
    finisher.start();
    assertEquals(
        org.rmiq.internal.wire.MasterPhase.FINISHED,
        dispatcher.handOut(waiting, 0, List.of()).phase());
    finisher.join();
    assertTrue(dispatcher.linksHeardFinished());
  }

  @Test
  void whenTheJournalFailsTheResultIsNotAcknowledgedAndLaterOnesAreRefused() throws Exception {
    job("square", "1", "2");
    String[] w = worker("w", 2, "square");
    List<Task> tasks = exchange(w, 2);
    journalBroken = true;
    ExchangeRequest report =
        new ExchangeRequest(w[0], List.of(new Slot(w[1], List.of(ok(tasks.get(0), "1")), 0)), 0, 0);
    IllegalStateException failed =
        assertThrows(IllegalStateException.class, () -> dispatcher.collectFrom(report));
    assertTrue(failed.getMessage().contains("No space left on device"), failed.getMessage());
    assertThrows(IllegalStateException.class, () -> exchange(w, 0, ok(tasks.get(1), "4")));
    assertTrue(collected.isEmpty());
  }

  @Test
  void anUnknownLinkMustJoinAgain() {
    ExchangeRequest request = new ExchangeRequest("nope", List.of(), 0, 0);
    assertThrows(UnknownLinkException.class, () -> dispatcher.collectFrom(request));
    assertFalse(dispatcher.isLive("nope", false));
  }

  // ------------------------------------------------------------------ caps, spreading, backups

  @Test
  void aSessionThatClaimsFourThousandThreadsHoldsOnlyWhatANewSessionMay() throws Exception {
    String[] inputs = new String[40];
    Arrays.fill(inputs, "200");
    job("sleep", inputs);
    String[] hoarder = worker("hoarder", 4096, "sleep");
    assertEquals(LeasePolicy.START, exchange(hoarder, 4096).size());
    assertEquals(List.of(), exchange(hoarder, 4096), "it delivered nothing: no more");
    String[] honest = worker("honest", 4, "sleep");
    assertEquals(4, exchange(honest, 4).size(), "the rest stay for others");
  }

  @Test
  void forgedResultsEarnNoBiggerCap() throws Exception {
    String[] inputs = new String[100];
    Arrays.fill(inputs, "1");
    job("square", inputs);
    String[] mallory = worker("mallory", 4096, "square");
    List<Task> held = exchange(mallory, 4096);
    TaskResult[] forged = new TaskResult[50];
    for (int i = 0; i < forged.length; i++) {
      forged[i] = TaskResult.ok(90_000 + i, "1", 1); // tasks it was never given
    }
    exchange(mallory, 0, forged);
    assertEquals(List.of(), exchange(mallory, 4096), "forged results earn nothing");
    exchange(mallory, 0, ok(held.get(0), "1"));
    assertEquals(3, exchange(mallory, 4096).size(), "a real result frees its place and earns two");
  }

  @Test
  void fewLongTasksSpreadOverTheFreeThreadsOfTheClass() throws Exception {
    job("sleep", "5000", "5000", "5000", "5000", "5000", "5000");
    String[] a = worker("a", 2, "sleep");
    String[] b = worker("b", 2, "sleep");
    String[] c = worker("c", 2, "sleep");
    assertEquals(2, exchange(a, 4).size(), "a asks for 4 with prefetch; b and c are idle");
    assertEquals(2, exchange(b, 4).size());
    assertEquals(2, exchange(c, 4).size());
  }

  @Test
  void manySmallTasksStillTravelInBigBatches() throws Exception {
    String[] inputs = new String[10_000];
    Arrays.fill(inputs, "7");
    job("square", inputs);
    String[] a = worker("a", 2, "square");
    worker("b", 2, "square");
    assertEquals(4, exchange(a, 1000).size(), "twice its threads, before it delivered");
  }

  @Test
  void anIdleWorkerGetsABackupCopyOfATaskHeldTooLongAndTheFirstResultWins() throws Exception {
    Job job = job("sleep", "200", "200");
    String[] hoarder = worker("hoarder", 1, "sleep");
    String[] honest = worker("honest", 1, "sleep");
    Task held = exchange(hoarder, 1).get(0);
    Task mine = exchange(honest, 1).get(0);
    exchange(honest, 0, ok(mine, "slept"));
    assertEquals(List.of(), exchange(honest, 1), "the hold limit (4 x 200 ms) has not passed");
    ticker.advance(Duration.ofSeconds(1));
    List<Task> backup = exchange(honest, 1);
    assertEquals(List.of(held.id()), backup.stream().map(Task::id).toList());
    exchange(honest, 0, ok(backup.get(0), "slept"));
    assertEquals(Job.State.FINISHED, job.state());
    assertEquals(1, collected.stream().filter(o -> o.id() == held.id()).count());
    exchange(hoarder, 0, ok(held, "late"));
    assertEquals(2, collected.size(), "the hoarder's late answer is a duplicate");
  }

  @Test
  void aWorkerThatReconnectsKeepsItsLinkAndItsResultsCount() throws Exception {
    job("square", "3");
    String[] w = worker("w", 1, "square");
    Task task = exchange(w, 1).get(0);
    org.rmiq.internal.wire.LinkRequest again =
        new org.rmiq.internal.wire.LinkRequest(
            org.rmiq.internal.wire.MasterService.PROTOCOL, "host", false, "", w[0]);
    String link =
        dispatcher
            .openLink(again, InetAddress.getByName("10.0.0.9"), null, false, List.of(), 1000)
            .linkId();
    assertEquals(w[0], link, "the master kept the link");
    exchange(w, 0, ok(task, "9"));
    assertEquals(1, collected.size());
    assertEquals("9", collected.get(0).value());
  }

  @Test
  void aTaskOneWorkerDeclinesGoesToAnotherWithoutUsingAnAttempt() throws Exception {
    Job job = job("download", 1, Duration.ZERO, "http://10.0.0.1/a", "http://example.org/b");
    String[] strict = worker("strict", 2, "download");
    String[] open = worker("open", 2, "download");
    List<Task> tasks = exchange(strict, 2);
    exchange(strict, 0, TaskResult.declined(tasks.get(0).id(), "private address", 5));
    assertTrue(collected.isEmpty(), "a refusal is not a failure");
    assertEquals(List.of(), exchange(strict, 2), "not offered again to the JVM that declined it");
    List<Task> again = exchange(open, 2);
    assertEquals(List.of(tasks.get(0).id()), again.stream().map(Task::id).toList());
    exchange(open, 0, ok(again.get(0), "a"));
    exchange(strict, 0, ok(tasks.get(1), "b"));
    assertEquals(Job.State.FINISHED, job.state());
    assertEquals(List.of(1, 1), collected.stream().map(TaskOutcome::attempts).toList());
    assertTrue(collected.stream().allMatch(o -> o.state() == TaskOutcome.State.OK));
  }

  @Test
  void aTaskEveryConnectedWorkerDeclinesFailsWithTheirReason() throws Exception {
    job("download", "http://10.0.0.1/a");
    String[] only = worker("only", 1, "download");
    Task task = exchange(only, 1).get(0);
    exchange(only, 0, TaskResult.declined(task.id(), "start it with --allow-private", 5));
    assertEquals(1, collected.size());
    assertEquals(TaskOutcome.State.FAILED, collected.get(0).state());
    assertTrue(collected.get(0).error().startsWith("start it with --allow-private"));
  }

  @Test
  void aDeclinedTaskFailsWhenTheLastWorkerThatWouldRunItLeaves() throws Exception {
    job("download", "http://10.0.0.1/a");
    String[] strict = worker("strict", 1, "download");
    String[] open = worker("open", 1, "download");
    Task task = exchange(strict, 1).get(0);
    exchange(strict, 0, TaskResult.declined(task.id(), "private address", 5));
    dispatcher.leave(open[0], List.of(open[1]), true);
    dispatcher.sweep();
    assertEquals(1, collected.size());
    assertEquals(TaskOutcome.State.FAILED, collected.get(0).state());
  }

  @Test
  void aDeclinedTaskAtTheHeadDoesNotBlockTheTasksBehindIt() throws Exception {
    job("download", "http://10.0.0.1/a", "http://example.org/b");
    String[] strict = worker("strict", 1, "download");
    worker("open", 1, "download");
    Task first = exchange(strict, 1).get(0);
    exchange(strict, 0, TaskResult.declined(first.id(), "private address", 5));
    List<Task> next = exchange(strict, 1);
    assertEquals(List.of("http://example.org/b"), next.stream().map(Task::input).toList());
  }
}
