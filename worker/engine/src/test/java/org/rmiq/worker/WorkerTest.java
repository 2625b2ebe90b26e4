package org.rmiq.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rmiq.internal.transport.HandshakeException;
import org.rmiq.internal.wire.CodeOffer;
import org.rmiq.internal.wire.MasterBusyException;
import org.rmiq.internal.wire.Task;
import org.rmiq.internal.wire.UnknownLinkException;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;
import org.rmiq.worker.shipped.Cube;

/** The worker's logic against a fake master in this JVM: no RMI, no sockets. */
class WorkerTest {
  private final FakeMaster master = new FakeMaster();
  private final AtomicReference<Exception> connectFailure = new AtomicReference<>();
  private final WorkerRuntime runtime =
      new WorkerRuntime(
          Ticker.systemTicker(),
          () -> {
            Exception e = connectFailure.get();
            if (e != null) {
              throw e;
            }
            return master;
          });
  private final List<Worker> workers = new ArrayList<>();

  @AfterEach
  void stopWorkers() throws Exception {
    workers.forEach(Worker::stopAsync);
    for (Worker w : workers) {
      w.awaitTerminated(Duration.ofSeconds(20));
    }
  }

  private Worker.Builder builder() {
    return Worker.builder(HostPort.parse("fake:5000"), Token.of("correct horse battery"))
        .runtime(runtime)
        .threads(2)
        .grace(Duration.ofSeconds(2));
  }

  private Worker start(Worker.Builder builder) {
    Worker worker = builder.build();
    workers.add(worker);
    worker.startAsync();
    return worker;
  }

  private static Task[] squares(int from, int to) {
    Task[] tasks = new Task[to - from + 1];
    for (int i = from; i <= to; i++) {
      tasks[i - from] = new Task(i, "square", Integer.toString(i));
    }
    return tasks;
  }

  @Test
  void workersInOneJvmShareOneLinkAndEveryResultArrives() throws Exception {
    start(builder().name("a"));
    start(builder().name("b"));
    await().atMost(Duration.ofSeconds(5)).until(() -> master.sessions() == 2);
    master.add(squares(1, 2000));
    for (int i = 0; i < 20; i++) {
      master.add(new Task(10_000 + i, "sleep", "20"));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> master.received().size() == 2020);
    assertEquals("1000000", master.values().get(1000L));
    assertEquals(1, master.links(), "two workers, one link");
    assertEquals(2, master.sessions());
    assertTrue(
        master.received().stream().map(FakeMaster.Received::sessionId).distinct().count() == 2,
        "both workers ran tasks");
  }

  @Test
  void anIdleWorkerWaitsInTheMasterForWorkRightAfterItsResultsButNeverSpins() throws Exception {
    start(builder().threads(1));
    await().atMost(Duration.ofSeconds(5)).until(() -> master.sessions() == 1);
    master.add(new Task(1, "square", "3"));
    await().atMost(Duration.ofSeconds(5)).until(() -> master.received().size() == 1);
    // The call after the one that delivered the result is a long poll, sent at once: a task
    // submitted now starts now (single-task latency), not after a 200 ms poll interval.
    await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () -> {
              List<FakeMaster.Call> calls = master.calls();
              int delivered = 0;
              while (delivered < calls.size() && calls.get(delivered).results() == 0) {
                delivered++;
              }
              return calls.stream().skip(delivered + 1).anyMatch(c -> c.waitMillis() > 0);
            });
    List<FakeMaster.Call> calls = master.calls();
    int delivered = 0;
    while (calls.get(delivered).results() == 0) {
      delivered++;
    }
    // The long poll follows at once (a task thread finishing may squeeze in one call first).
    int poll = delivered + 1;
    while (poll < calls.size() - 1 && calls.get(poll).waitMillis() == 0) {
      poll++;
    }
    FakeMaster.Call next = calls.get(poll);
    assertTrue(next.waitMillis() > 0, "a call should wait in the master: " + calls);
    long gapMillis = (next.at() - calls.get(delivered).at()) / 1_000_000;
    assertTrue(gapMillis < 150, "the long poll came " + gapMillis + " ms after the results");
    // This fake answers a long poll at once: the worker then pauses between polls, no spin.
    int before = master.exchanges();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(() -> master.exchanges() - before <= 10);
  }

  @Test
  void aRefusedTokenStopsTheWorkerWithExit3() throws Exception {
    connectFailure.set(
        new HandshakeException(HandshakeException.Reason.WRONG_TOKEN, "the token is wrong"));
    Worker worker = start(builder());
    worker.awaitTerminated(Duration.ofSeconds(10));
    assertEquals(Worker.Exit.TOKEN_REFUSED, worker.exit());
    assertEquals(3, worker.exit().code);
    assertTrue(worker.exitMessage().contains("refused our token"), worker.exitMessage());
  }

  @Test
  void aSilentPortBeforeTheFirstJoinIsTheWrongPortExit4() throws Exception {
    connectFailure.set(
        new HandshakeException(HandshakeException.Reason.SILENT, "the port answers nothing"));
    Worker worker = start(builder());
    worker.awaitTerminated(Duration.ofSeconds(10));
    assertEquals(Worker.Exit.REFUSED, worker.exit());
  }

  @Test
  void aWorkerWaitsForAMasterThatIsNotUpYetAndCanGiveUp() throws Exception {
    connectFailure.set(new java.rmi.ConnectException("Connection refused"));
    Worker patient = start(builder().name("patient"));
    Worker hasty = start(builder().name("hasty").waitForMaster(Duration.ofMillis(500)));
    hasty.awaitTerminated(Duration.ofSeconds(10));
    assertEquals(Worker.Exit.UNREACHABLE, hasty.exit());
    assertTrue(
        hasty.exitMessage().contains(SettingNames.of(Setting.CONNECT_TIMEOUT)),
        hasty.exitMessage());
    assertTrue(patient.isRunning(), "without --connect-timeout a worker waits");
    connectFailure.set(null);
    master.add(squares(1, 10));
    await().atMost(Duration.ofSeconds(10)).until(() -> master.received().size() == 10);
  }

  @Test
  void aForgottenLinkIsJoinedAgainAndHeldResultsStillArriveUnderTheirSession() throws Exception {
    master.add(new Task(1, "sleep", "600"));
    start(builder());
    await().atMost(Duration.ofSeconds(5)).until(() -> master.heldBy(1) != null);
    String first = master.heldBy(1);
    master.forgetLinks(); // the master expired the link while the task ran
    await().atMost(Duration.ofSeconds(10)).until(() -> master.received().size() == 1);
    assertEquals(first, master.received().get(0).sessionId(), "fenced to the original session");
    assertTrue(master.links() >= 2, "joined again");
  }

  @Test
  void resultsOfAMasterThatRestartedAreDropped() throws Exception {
    master.add(new Task(1, "sleep", "600"));
    start(builder());
    await().atMost(Duration.ofSeconds(5)).until(() -> master.heldBy(1) != null);
    master.restart();
    master.add(new Task(2, "square", "3"));
    await().atMost(Duration.ofSeconds(10)).until(() -> master.values().containsKey(2L));
    assertEquals(Map.of(2L, "9"), master.values(), "task 1's result was for the old run");
  }

  @Test
  void resultsWaitOutAnOutageAndABusyMaster() throws Exception {
    start(builder());
    await().atMost(Duration.ofSeconds(5)).until(() -> master.sessions() == 1);
    master.failExchanges(new MasterBusyException("the journal's disk is full"));
    master.add(squares(1, 5));
    int before = master.exchanges();
    await().atMost(Duration.ofSeconds(5)).until(() -> master.exchanges() > before + 2);
    assertEquals(1, master.links(), "a busy master keeps the link");
    master.failExchanges(new java.rmi.ConnectException("Connection refused"));
    int later = master.exchanges();
    await().atMost(Duration.ofSeconds(10)).until(() -> master.exchanges() > later + 1);
    assertTrue(master.links() > 1, "a broken connection opens a new link");
    master.failExchanges(null);
    await().atMost(Duration.ofSeconds(15)).until(() -> master.received().size() == 5);
  }

  @Test
  void anExitWhenDoneWorkerStopsWhenTheMasterFinishesOrLeavesAfterFinishing() throws Exception {
    master.add(squares(1, 3));
    Worker first = start(builder().exitWhenDone(true));
    await().atMost(Duration.ofSeconds(5)).until(() -> master.received().size() == 3);
    master.finish();
    first.awaitTerminated(Duration.ofSeconds(10));
    assertEquals(Worker.Exit.JOB_FINISHED, first.exit());
  }

  @Test
  void aFinishedMastersDepartureEndsAnExitWhenDoneWorker() throws Exception {
    Worker worker = start(builder().exitWhenDone(true).threads(1));
    master.add(new Task(1, "sleep", "300"));
    await().atMost(Duration.ofSeconds(5)).until(() -> master.heldBy(1) != null);
    master.finish();
    int seen = master.exchanges();
    await().atMost(Duration.ofSeconds(5)).until(() -> master.exchanges() > seen);
    master.failExchanges(new java.rmi.ConnectException("Connection refused"));
    worker.awaitTerminated(Duration.ofSeconds(10));
    assertEquals(Worker.Exit.JOB_FINISHED, worker.exit());
  }

  @Test
  void anIdleWorkerWhoseMasterIsGoneStopsWithinASecond() throws Exception {
    Worker worker = start(builder());
    await().atMost(Duration.ofSeconds(5)).until(() -> master.sessions() == 1);
    master.failExchanges(new java.rmi.ConnectException("Connection refused"));
    await().atMost(Duration.ofSeconds(5)).until(() -> master.exchanges() > 2);
    long start = System.nanoTime();
    worker.stopAsync().awaitTerminated(Duration.ofSeconds(10));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 1000, "stopped in " + millis + " ms");
  }

  @Test
  void aStoppingWorkerSaysGoodbye() throws Exception {
    Worker worker = start(builder());
    await().atMost(Duration.ofSeconds(5)).until(() -> master.sessions() == 1);
    worker.stopAsync().awaitTerminated(Duration.ofSeconds(10));
    assertEquals(1, master.leaves().size());
    assertTrue(master.leaves().get(0).link(), "the last worker closes the link");
  }

  @Test
  void aWithdrawnTaskIsInterruptedAndReportsNothing() throws Exception {
    master.add(new Task(1, "sleep", "60000"), new Task(2, "square", "4"));
    start(builder());
    await().atMost(Duration.ofSeconds(5)).until(() -> master.values().containsKey(2L));
    master.withdraw(1);
    master.add(new Task(3, "square", "5"));
    await().atMost(Duration.ofSeconds(5)).until(() -> master.values().containsKey(3L));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> master.exchanges() > 0 && !master.values().containsKey(1L));
  }

  @Test
  void withdrawnTasksFreeTheThreadWhetherRunningOrWaitingForIt() throws Exception {
    // one thread: the first sleep runs, the second waits for the thread behind it
    master.add(new Task(1, "sleep", "60000"), new Task(2, "sleep", "60000"));
    start(builder().threads(1));
    await().atMost(Duration.ofSeconds(5)).until(() -> master.waiting() == 0);
    master.withdraw(1);
    master.withdraw(2);
    master.add(new Task(3, "square", "5"));
    // only when the running sleep was interrupted and the waiting one dropped is the thread free
    await().atMost(Duration.ofSeconds(10)).until(() -> master.values().containsKey(3L));
    assertEquals(Map.of(3L, "25"), master.values());
  }

  /** A kind whose "block" input waits until interrupted; any other input answers at once. */
  private static final class Gate implements org.rmiq.api.TaskHandler {
    @Override
    public String kind() {
      return "gate";
    }

    @Override
    public String execute(String input) throws InterruptedException {
      if (input.equals("block")) {
        Thread.sleep(60_000);
      }
      if (Thread.currentThread().isInterrupted()) { // a neighbour's interrupt must not reach it
        throw new InterruptedException("interrupted before it began");
      }
      return input;
    }
  }

  @Test
  void aWithdrawalReachesTasksThatTravelTogetherAndSparesTheirNeighbours() throws Exception {
    for (long id = 1; id <= 200; id++) {
      master.add(new Task(id, "gate", "fast"));
    }
    start(builder().threads(1).handler(new Gate()));
    // 200 quick answers: the worker now knows gate tasks are short, and hands them out in runs
    await().atMost(Duration.ofSeconds(10)).until(() -> master.values().size() == 200);
    List<Task> batch = new ArrayList<>();
    batch.add(new Task(1000, "gate", "block"));
    for (long id = 1001; id <= 1010; id++) {
      batch.add(new Task(id, "gate", "v" + id));
    }
    master.add(batch.toArray(new Task[0])); // one thread: runs of 6 and 5, the first blocked
    await().atMost(Duration.ofSeconds(5)).until(() -> master.waiting() == 0);
    master.withdraw(1000); // running: interrupted
    master.withdraw(1003); // in the blocked run, not started
    master.withdraw(1008); // in the run waiting for the thread
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> master.values().keySet().containsAll(List.of(1001L, 1010L)));
    Map<Long, String> values = master.values();
    for (long id = 1001; id <= 1010; id++) {
      if (id == 1003 || id == 1008) {
        assertFalse(values.containsKey(id), "withdrawn task " + id + " ran");
      } else {
        assertEquals("v" + id, values.get(id), "task " + id + " after the interrupted one");
      }
    }
    assertFalse(values.containsKey(1000L), "the interrupted task reports nothing");
  }

  @Test
  void shippedCodeIsFetchedCheckedLoadedAndUsedOnlyByWorkersThatAcceptCode() throws Exception {
    byte[] jar = jarOf(Cube.class, "org.rmiq.worker.shipped.Cube");
    String sha = sha256(jar);
    master.offer(CodeOffer.unsigned(sha, "cube.jar", jar.length, List.of("cube")), jar);
    master.add(new Task(1, "cube", "3", sha, 0), new Task(2, "cube", "-2", sha, 0));
    start(builder().name("open").acceptCode(true));
    await().atMost(Duration.ofSeconds(10)).until(() -> master.received().size() == 2);
    assertEquals(Map.of(1L, "27", 2L, "-8"), master.values());
    assertTrue(master.kindsTold().stream().anyMatch(k -> k.contains("cube")));
    int fetches = master.codeFetches();
    master.offer(
        CodeOffer.unsigned(sha256(new byte[] {1}), "other.jar", 1, List.of("other")),
        new byte[] {1});
    master.add(new Task(3, "cube", "4", sha, 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> master.values().containsKey(3L));
    assertEquals(fetches + 1, master.codeFetches(), "the cube jar is not fetched again");
  }

  @Test
  void aJarThatDoesNotMatchItsSha256IsRefusedAndItsTasksFailWithTheReason() throws Exception {
    byte[] jar = jarOf(Cube.class, "org.rmiq.worker.shipped.Cube");
    String announced = sha256("something else".getBytes(StandardCharsets.UTF_8));
    master.offer(CodeOffer.unsigned(announced, "cube.jar", jar.length, List.of("cube")), jar);
    master.add(new Task(1, "cube", "3", announced, 0));
    start(builder().acceptCode(true));
    await().atMost(Duration.ofSeconds(10)).until(() -> master.received().size() == 1);
    String error = master.values().get(1L);
    assertTrue(error.contains("differ from what the master announced"), error);
  }

  @Test
  void aWorkerThatDoesNotAcceptCodeNeverFetchesIt() throws Exception {
    byte[] jar = jarOf(Cube.class, "org.rmiq.worker.shipped.Cube");
    master.offer(CodeOffer.unsigned(sha256(jar), "cube.jar", jar.length, List.of("cube")), jar);
    master.add(squares(1, 3));
    start(builder());
    await().atMost(Duration.ofSeconds(10)).until(() -> master.received().size() == 3);
    assertEquals(0, master.codeFetches());
    assertTrue(master.kindsTold().stream().noneMatch(k -> k.contains("cube")));
  }

  @Test
  void anUnknownLinkDuringTheFirstExchangeIsJoinedAgainAtOnce() throws Exception {
    master.failExchanges(new UnknownLinkException());
    start(builder());
    await().atMost(Duration.ofSeconds(5)).until(() -> master.links() >= 2);
    master.failExchanges(null);
    master.add(squares(1, 3));
    await().atMost(Duration.ofSeconds(10)).until(() -> master.received().size() == 3);
  }

  static byte[] jarOf(Class<?> type, String service) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes)) {
      String path = type.getName().replace('.', '/') + ".class";
      jar.putNextEntry(new JarEntry(path));
      try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
        in.transferTo(jar);
      }
      jar.putNextEntry(new JarEntry("META-INF/services/org.rmiq.api.TaskHandler"));
      jar.write((service + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
