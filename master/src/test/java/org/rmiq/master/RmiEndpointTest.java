package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Ticker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.rmiq.internal.transport.MasterKeys;
import org.rmiq.internal.wire.MasterPhase;
import org.rmiq.net.Token;

class RmiEndpointTest {
  private static final MasterKeys KEYS = MasterKeys.plaintext("endpoint-test-token".toCharArray());

  private static MasterServiceImpl service() {
    TaskQueue queue =
        new TaskQueue(
            Ticker.systemTicker(),
            Duration.ofSeconds(10),
            3,
            Duration.ofSeconds(1),
            outcomes -> {});
    return new MasterServiceImpl(
        queue,
        new WorkerDirectory(),
        () -> MasterPhase.RUNNING,
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ZERO,
        () -> null,
        Ticker.systemTicker(),
        null);
  }

  @Test
  void theRegistryAndTheServiceShareOneListeningSocket() throws Exception {
    try (RmiEndpoint endpoint =
        RmiEndpoint.open(
            service(),
            0,
            KEYS,
            InetAddress.getLoopbackAddress(),
            Duration.ofSeconds(2),
            Ticker.systemTicker())) {
      assertTrue(endpoint.port() > 0);
      assertEquals(1, endpoint.listeningSockets());
    }
  }

  @Test
  void aTakenPortIsReportedAsSuch() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Exception e =
          assertThrows(
              java.rmi.RemoteException.class,
              () ->
                  RmiEndpoint.open(
                      service(),
                      taken.getLocalPort(),
                      KEYS,
                      null,
                      Duration.ofSeconds(2),
                      Ticker.systemTicker()));
      assertTrue(RmiEndpoint.isPortInUse(e), e.toString());
    }
  }

  @Test
  void theBuilderRefusesAHeartbeatLongerThanHalfTheLease() {
    var builder =
        Master.builder()
            .token(Token.of("t-0123456789abcdef"))
            .lease(Duration.ofSeconds(1))
            .heartbeat(Duration.ofSeconds(1));
    assertEquals(
        "the heartbeat (PT1S) must be at most half the lease (PT1S)",
        assertThrows(IllegalArgumentException.class, builder::build).getMessage());
  }
}
