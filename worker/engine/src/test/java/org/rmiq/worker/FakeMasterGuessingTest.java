package org.rmiq.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rmiq.internal.transport.HandshakeException;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;

/**
 * A peer that takes the worker's proof of the class code and never confirms its own may be a fake
 * master collecting one guess per connection: the worker waits minutes between such tries and stops
 * after three, with the exit of a refused token.
 */
class FakeMasterGuessingTest {
  @Test
  void aPeerThatNeverConfirmsGetsThreeTriesMinutesApartAndTheWorkerStops() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    List<Long> at = new ArrayList<>();
    // Each read moves the clock ten minutes on, so the worker's minutes of waiting pass at once.
    AtomicLong now = new AtomicLong();
    Ticker fast =
        new Ticker() {
          @Override
          public long read() {
            return now.addAndGet(TimeUnit.MINUTES.toNanos(10));
          }
        };
    WorkerRuntime runtime =
        new WorkerRuntime(
            fast,
            () -> {
              tries.incrementAndGet();
              synchronized (at) {
                at.add(now.get());
              }
              throw new HandshakeException(
                  HandshakeException.Reason.NO_CONFIRMATION,
                  "the peer took this worker's proof of the class code and sent none of its own");
            });
    Worker worker =
        Worker.builder(HostPort.parse("fake:5000"), Token.of("correct horse battery"))
            .runtime(runtime)
            .threads(1)
            .build();
    worker.startAsync();
    worker.awaitTerminated(Duration.ofSeconds(30));

    assertEquals(Worker.Exit.TOKEN_REFUSED, worker.exit());
    assertTrue(worker.exitMessage().contains("3 times in a row"), worker.exitMessage());
    assertEquals(3, tries.get(), "a fake master got more than three guesses");
    synchronized (at) {
      // the tries were apart in time: the worker waited between them (minutes, by its clock)
      assertTrue(at.get(1) - at.get(0) >= TimeUnit.MINUTES.toNanos(1), "no wait after the first");
      assertTrue(at.get(2) - at.get(1) >= TimeUnit.MINUTES.toNanos(2), "no wait after the second");
    }
  }
}
