package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rmiq.api.TaskHandler;
import org.rmiq.master.Master;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import org.rmiq.report.TaskOutcome;
import org.rmiq.worker.Worker;

/** Master and workers as a Java program uses them: in one JVM, over real loopback sockets. */
class LibraryApiTest {
  private static final Token TOKEN = Token.of("library-test-token-0123456789");

  private static Worker worker(Master master, Token token, String name) {
    return Worker.builder(new HostPort("127.0.0.1", master.port()), token)
        .name(name)
        .threads(2)
        .exitWhenDone(true)
        .build();
  }

  @Test
  void aProgramSubmitsSquaresAndCollectsThemWithATimeout() throws Exception {
    try (Master master = Master.builder().port(0).token(TOKEN).build().start()) {
      Worker a = worker(master, TOKEN, "a");
      Worker b = worker(master, TOKEN, "b");
      a.startAsync();
      b.startAsync();
      master.submit(
          "square",
          java.util.stream.IntStream.rangeClosed(-100, 100).mapToObj(Integer::toString).toList());
      Map<Long, TaskOutcome> outcomes = new HashMap<>();
      for (int i = 0; i < 201; i++) {
        TaskOutcome outcome = master.poll(Duration.ofSeconds(20));
        assertNotNull(outcome, "result " + i + " did not arrive");
        assertEquals(null, outcomes.put(outcome.id(), outcome), "collected twice: " + outcome);
        BigInteger n = new BigInteger(outcome.input());
        assertEquals(n.multiply(n).toString(), outcome.value());
      }
      master.finish();
      a.awaitTerminated(20, TimeUnit.SECONDS);
      b.awaitTerminated(20, TimeUnit.SECONDS);
      assertEquals(Worker.Exit.JOB_FINISHED, a.exit());
      assertEquals(201, a.succeeded() + b.succeeded());
      assertTrue(master.awaitWorkersTold(Duration.ofSeconds(5)));
    }
  }

  @Test
  void aWorkerWithAnotherTokenStopsAtOnceAndTheMasterIsUnharmed() throws Exception {
    try (Master master = Master.builder().port(0).token(TOKEN).build().start()) {
      Worker intruder = worker(master, Token.of("not-the-right-token"), "intruder");
      intruder.startAsync().awaitTerminated(20, TimeUnit.SECONDS);
      assertEquals(Worker.Exit.TOKEN_REFUSED, intruder.exit());
      assertTrue(intruder.exitMessage().contains("refused our token"), intruder.exitMessage());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> master.progress().refusedConnections() >= 1);

      Worker good = worker(master, TOKEN, "good");
      good.startAsync();
      master.submit("square", "12");
      TaskOutcome outcome = master.poll(Duration.ofSeconds(20));
      assertEquals("144", outcome.value());
      assertEquals("good", outcome.worker());
      master.finish();
      good.awaitTerminated(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStoppedWorkerFinishesWhatRunsAndHandsBackWhatItHeldAtOnce() throws Exception {
    try (Master master =
        Master.builder().port(0).token(TOKEN).lease(Duration.ofMinutes(5)).build().start()) {
      // A nap that says when it starts: the stop must come while one runs, not in the moment
      // between the master handing two out and the worker's thread starting the first.
      CountDownLatch started = new CountDownLatch(1);
      TaskHandler nap =
          new TaskHandler() {
            @Override
            public String kind() {
              return "nap";
            }

            @Override
            public String execute(String input) throws InterruptedException {
              started.countDown();
              Thread.sleep(500);
              return "napped";
            }
          };
      Worker worker =
          Worker.builder(new HostPort("127.0.0.1", master.port()), TOKEN)
              .threads(1)
              .prefetch(3)
              .handler(nap)
              .build();
      master.submit("nap", java.util.Collections.nCopies(4, "500"));
      worker.startAsync();
      // The master leases a 1-thread worker two tasks, whatever prefetch it asks for.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> started.getCount() == 0 && master.progress().leased() == 2);

      worker.stopAsync().awaitTerminated(20, TimeUnit.SECONDS);

      // The running task finished; the one it held but had not started is back in the queue
      // (with the two never handed out) long before the 5-minute lease would have expired.
      assertEquals(1, master.progress().succeeded(), master.progress().toString());
      assertEquals(3, master.progress().pending(), master.progress().toString());
      assertEquals(0, master.progress().leased());
      assertEquals(1, master.poll(Duration.ofSeconds(1)).attempts());
    }
  }
}
