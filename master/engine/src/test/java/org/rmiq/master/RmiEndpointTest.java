package org.rmiq.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Ticker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.transport.MasterConnector;
import org.rmiq.internal.transport.MasterKeys;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import org.rmiq.report.TaskOutcome;

class RmiEndpointTest {
  private static final MasterKeys KEYS =
      MasterKeys.plaintext("endpoint-test-token".toCharArray(), null);

  private static MasterServiceImpl service() {
    Dispatcher dispatcher =
        new Dispatcher(
            Ticker.systemTicker(),
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            new OutcomeSink() {
              @Override
              public void collected(java.util.List<TaskOutcome> outcomes) {}

              @Override
              public void requeued(java.util.Map<Long, Integer> attempts) {}

              @Override
              public void ended(Job job) {}
            });
    return new MasterServiceImpl(
        dispatcher,
        new MasterServiceImpl.Settings(
            Duration.ofSeconds(1),
            false,
            java.util.List.of(),
            new MasterServiceImpl.JobIntakeRef(),
            null),
        () -> null,
        null,
        new RemoteJobs(),
        why -> {});
  }

  private static RmiEndpoint onLoopback() throws java.rmi.RemoteException {
    return RmiEndpoint.open(
        service(),
        0,
        KEYS,
        InetAddress.getLoopbackAddress(),
        Duration.ofSeconds(2),
        Ticker.systemTicker(),
        "test");
  }

  @Test
  void theRegistryAndTheServiceShareOneListeningSocket() throws Exception {
    try (RmiEndpoint endpoint = onLoopback()) {
      assertTrue(endpoint.port() > 0);
      assertEquals(1, endpoint.listeningSockets());
    }
  }

  @Test
  void aClientsLookupAndCallsShareItsOneAuthenticatedConnection() throws Exception {
    // the handshake tells the client the names the master's stubs use, so RMI's pool for the
    // registry is the service's too: no second connection, with its second TLS and PAKE
    try (RmiEndpoint endpoint = onLoopback()) {
      // typed as "localhost", which the stubs never name (they name an address): only the names
      // the handshake tells make the registry's pool the service's
      ClientProfile profile =
          ClientProfile.of(
                  new HostPort("localhost", endpoint.port()), Token.of("endpoint-test-token"))
              .withPlaintext(true);
      MasterService master = MasterConnector.lookup(profile);
      assertNull(master.status()); // this test's service has no status to give
      assertNull(master.status());
      assertEquals(1, endpoint.listener().openConnections(), "authenticated connections");
      assertEquals(0, endpoint.failedHandshakes());
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
                      Ticker.systemTicker(),
                      "test"));
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
        "the heartbeat (1s) must be at most half the lease (1s)",
        assertThrows(IllegalArgumentException.class, builder::build).getMessage());
  }
}
