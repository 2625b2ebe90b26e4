package org.rmiq.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GuessLogTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker ticker =
      new Ticker() {
        @Override
        public long read() {
          return now.get();
        }
      };
  private final GuessLog log = new GuessLog(ticker);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void countsWrongCodesPerPeerAndListsTheMostPersistentFirst() throws Exception {
    InetAddress a = InetAddress.getByName("10.0.0.7");
    InetAddress b = InetAddress.getByName("10.0.0.8");
    assertEquals(1, log.wrongCode(b));
    for (int i = 1; i <= 20; i++) {
      assertEquals(i, log.wrongCode(a));
    }
    assertEquals("10.0.0.7", log.recent().get(0).peer());
    assertEquals(20, log.recent().get(0).wrongCodes());
    assertEquals("10.0.0.8", log.recent().get(1).peer());
  }

  @Test
  void aPeerLeavesTheListAMinuteAfterItsLastWrongCodeButKeepsItsCount() throws Exception {
    InetAddress a = InetAddress.getByName("10.0.0.7");
    log.wrongCode(a);
    advance(Duration.ofSeconds(30));
    assertEquals(30, log.recent().get(0).secondsSinceLast());
    advance(Duration.ofSeconds(31));
    assertTrue(log.recent().isEmpty());
    assertEquals(2, log.wrongCode(a), "the total since the master started");
  }

  @Test
  void anIpv6HostIsCountedByItsSlash64() throws Exception {
    log.wrongCode(InetAddress.getByName("2001:db8:1:2::1"));
    log.wrongCode(InetAddress.getByName("2001:db8:1:2::77"));
    log.wrongCode(InetAddress.getByName("2001:db8:1:3::1"));
    assertEquals("2001:db8:1:2::/64", log.recent().get(0).peer());
    assertEquals(2, log.recent().get(0).wrongCodes());
    assertEquals(2, log.recent().size());
  }

  @Test
  void memoryIsBoundedByForgettingTheLeastRecentlySeen() throws Exception {
    for (int i = 0; i <= GuessLog.MAX_PEERS; i++) {
      log.wrongCode(
          InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
    }
    assertEquals(GuessLog.MAX_PEERS, log.recent().size());
    assertTrue(log.recent().stream().noneMatch(g -> g.peer().equals("10.0.0.0")));
  }
}
