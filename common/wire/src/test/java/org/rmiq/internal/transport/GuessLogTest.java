package org.rmiq.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GuessThrottleTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker ticker =
      new Ticker() {
        @Override
        public long read() {
          return now.get();
        }
      };
  private final GuessThrottle throttle = new GuessThrottle(ticker);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void nineFailuresAMinuteAreTolerated() throws Exception {
    InetAddress a = InetAddress.getByName("10.0.0.7");
    for (int i = 0; i < 9; i++) {
      assertNull(throttle.failed(a));
    }
    assertFalse(throttle.isBlocked(a));
  }

  @Test
  void theTenthFailureWithinAMinuteBlocksForAMinuteAndOnlyThatAddress() throws Exception {
    InetAddress a = InetAddress.getByName("10.0.0.7");
    InetAddress other = InetAddress.getByName("10.0.0.8");
    for (int i = 0; i < 9; i++) {
      throttle.failed(a);
    }
    GuessThrottle.Block block = throttle.failed(a);
    assertNotNull(block);
    assertEquals(Duration.ofMinutes(1), block.length());
    assertTrue(throttle.isBlocked(a));
    assertFalse(throttle.isBlocked(other));
    advance(Duration.ofSeconds(59));
    assertTrue(throttle.isBlocked(a));
    advance(Duration.ofSeconds(2));
    assertFalse(throttle.isBlocked(a), "a student who mistyped can join after the minute");
  }

  @Test
  void failuresSpreadOverMoreThanAMinuteDoNotBlock() throws Exception {
    InetAddress a = InetAddress.getByName("10.0.0.7");
    for (int i = 0; i < 30; i++) {
      assertNull(throttle.failed(a));
      advance(Duration.ofSeconds(7));
    }
    assertFalse(throttle.isBlocked(a));
  }

  @Test
  void aRepeatedBlockWithinTheHourLastsTwiceAsLong() throws Exception {
    InetAddress a = InetAddress.getByName("10.0.0.7");
    for (int i = 0; i < 10; i++) {
      throttle.failed(a);
    }
    advance(Duration.ofMinutes(2));
    GuessThrottle.Block second = null;
    for (int i = 0; i < 10; i++) {
      second = throttle.failed(a);
    }
    assertNotNull(second);
    assertEquals(Duration.ofMinutes(2), second.length());
    assertEquals("10.0.0.7", throttle.blocked().get(0).peer());
    assertEquals(20, throttle.blocked().get(0).failures());
  }

  @Test
  void anIpv6HostCountsAsItsWholeSlash64() throws Exception {
    InetAddress one = InetAddress.getByName("2001:db8:1:2::1");
    InetAddress two = InetAddress.getByName("2001:db8:1:2::ffff");
    for (int i = 0; i < 5; i++) {
      throttle.failed(one);
      throttle.failed(two);
    }
    assertTrue(throttle.isBlocked(InetAddress.getByName("2001:db8:1:2::77")));
    assertFalse(throttle.isBlocked(InetAddress.getByName("2001:db8:1:3::1")));
    assertEquals("2001:db8:1:2::/64", throttle.blocked().get(0).peer());
  }
}
