package org.rmiq.cli.master.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmiq.master.Master;
import org.rmiq.net.Token;

/** The one way a one-shot master and a session stop, with a real master in this JVM (port 0). */
class StopControlTest {
  private Master master;
  private StopControl stop;

  @BeforeEach
  void start() throws Exception {
    master = Master.builder().port(0).token(Token.of("stop-control-test")).build().start();
    stop = new StopControl(master);
  }

  @AfterEach
  void close() {
    stop.removeTermHook();
    master.close();
  }

  @Test
  void stoppingSetsTheFlagAndReleasesWhoeverWaits() throws Exception {
    assertFalse(stop.isStopping());
    assertFalse(stop.flag().get());
    Thread waiter = new Thread(() -> assertWaits(stop));
    waiter.start();
    stop.stop();
    waiter.join(5_000);
    assertFalse(waiter.isAlive(), "await returned once stopped");
    assertTrue(stop.isStopping());
    assertTrue(stop.flag().get());
    assertNull(stop.writeFailure(), "a plain stop is no write failure");
    assertTimeoutPreemptively(Duration.ofSeconds(1), stop::await); // and it stays stopped
  }

  private static void assertWaits(StopControl stop) {
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void theFirstWriteFailureStopsTheCommandAndIsTheOneTold() {
    stop.writeFailed("cannot write lab.db: No space left on device");
    stop.writeFailed("cannot write out/3.bin: No space left on device");
    assertTrue(stop.isStopping());
    assertEquals("cannot write lab.db: No space left on device", stop.writeFailure());
  }

  @Test
  void aJournalsFailureSaysNothingIsLostAndHowToResume() {
    stop.writeFailed("cannot write lab.db: disk full");
    assertEquals(
        "cannot write lab.db: disk full. Nothing collected is lost: free some space and run the"
            + " same command again to resume from the --journal.",
        stop.failureSentence(true, false));
    assertEquals(
        "cannot write lab.db: disk full. Nothing collected is lost: free some space and start the"
            + " session again with the same --journal; it resumes the unfinished jobs.",
        stop.failureSentence(true, true));
  }

  @Test
  void withoutAJournalTheSentenceSaysToRunAgain() {
    stop.writeFailed("cannot write out/1.bin: disk full");
    assertEquals(
        "cannot write out/1.bin: disk full. Free some space and run the job again.",
        stop.failureSentence(false, false));
    assertEquals(
        "cannot write out/1.bin: disk full. Free some space and start the session again.",
        stop.failureSentence(false, true));
  }

  @Test
  void aTermHookIsRemovedOnceTheCommandFinishedByItself() {
    stop.onTerm(() -> {});
    stop.removeTermHook();
    stop.removeTermHook(); // twice is harmless
    assertFalse(stop.isStopping(), "removing the hook does not stop anything");
  }
}
