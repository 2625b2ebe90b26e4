package org.rmiq.internal.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKEParticipant;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Test;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/**
 * The handshake with real sockets on loopback: a worker with the token gets an encrypted
 * connection; wrong tokens, fake masters, relays, web servers and silent ports each fail with the
 * reason a person can act on, within the deadline; failures are counted and throttled.
 */
class HandshakeTest {
  private static final String TOKEN = "tulip-river-mango-seven";
  private static final Duration DEADLINE = Duration.ofSeconds(2);

  @Test
  void aWorkerWithTheTokenGetsAnEncryptedConnectionBothWays() throws Exception {
    try (TestMasters master = new TestMasters(TestMasters.encrypted(TOKEN), DEADLINE)) {
      ClientHandshake.Joined joined = TestMasters.join(TestMasters.profile(master.port(), TOKEN));
      assertInstanceOf(SSLSocket.class, joined.socket());
      assertEquals("TLSv1.3", ((SSLSocket) joined.socket()).getSession().getProtocol());
      Socket served = master.accepted.poll(5, TimeUnit.SECONDS);
      assertNotNull(served, "the master's accept() never returned the authenticated connection");
      assertArrayEquals(master.keys.realm(), joined.realm());

      joined.socket().getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
      joined.socket().getOutputStream().flush();
      assertEquals(
          "ping", new String(served.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
      served.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
      served.getOutputStream().flush();
      assertEquals(
          "pong",
          new String(joined.socket().getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
      joined.socket().close();
      assertEquals(0, master.listener.failedHandshakes());
    }
  }

  @Test
  void closingTheListenerClosesTheConnectionsItHandedOutSoTheirReadersLeave() throws Exception {
    try (TestMasters master = new TestMasters(TestMasters.encrypted(TOKEN), DEADLINE)) {
      ClientHandshake.Joined joined = TestMasters.join(TestMasters.profile(master.port(), TOKEN));
      Socket served = master.accepted.poll(5, TimeUnit.SECONDS);
      assertNotNull(served);
      // as RMI's connection thread does with a worker's idle connection: a read that waits
      CompletableFuture<Integer> reader =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return served.getInputStream().read();
                } catch (IOException closed) {
                  return -2;
                }
              });
      master.server.close(); // the master stops: without this, the read waits for the worker
      await().atMost(Duration.ofSeconds(5)).until(reader::isDone);
      assertTrue(served.isClosed());
      assertEquals(-1, joined.socket().getInputStream().read(), "the worker sees the end");
      joined.socket().close();
    }
  }

  @Test
  void aShortTokenWorksToo() throws Exception {
    try (TestMasters master = new TestMasters(TestMasters.encrypted("lab42"), DEADLINE)) {
      TestMasters.join(TestMasters.profile(master.port(), "lab42")).socket().close();
      assertNotNull(master.accepted.poll(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aWrongTokenIsRefusedAndCounted() throws Exception {
    try (TestMasters master = new TestMasters(TestMasters.encrypted(TOKEN), DEADLINE)) {
      HandshakeException e =
          assertThrows(
              HandshakeException.class,
              () -> TestMasters.join(TestMasters.profile(master.port(), "tulip-river-mango-six")));
      assertEquals(HandshakeException.Reason.WRONG_TOKEN, e.reason());
      assertTrue(e.isPermanent());
      await().atMost(Duration.ofSeconds(5)).until(() -> master.listener.failedHandshakes() == 1);
    }
  }

  @Test
  void plaintextWorksWhenBothSidesAskForItAndAMismatchNamesTheSetting() throws Exception {
    try (TestMasters master =
        new TestMasters(MasterKeys.plaintext(TOKEN.toCharArray(), null), DEADLINE)) {
      ClientProfile plain = TestMasters.profile(master.port(), TOKEN).withPlaintext(true);
      ClientHandshake.Joined joined = TestMasters.join(plain);
      assertTrue(!(joined.socket() instanceof SSLSocket));
      joined.socket().close();
      HandshakeException e =
          assertThrows(
              HandshakeException.class,
              () -> TestMasters.join(TestMasters.profile(master.port(), TOKEN)));
      assertEquals(HandshakeException.Reason.OTHER_MODE, e.reason());
      assertTrue(
          e.getMessage().contains(SettingNames.of(Setting.INSECURE_PLAINTEXT)), e.getMessage());
      assertEquals(0, master.listener.failedHandshakes(), "a mis-set flag is not an attack");
    }
  }

  @Test
  void aFakeMasterThatAcceptsEveryTokenCannotProveItself() throws Exception {
    try (ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> impostor = CompletableFuture.runAsync(() -> lyingMaster(fake));
      HandshakeException e =
          assertThrows(
              HandshakeException.class,
              () -> TestMasters.join(TestMasters.profile(fake.getLocalPort(), TOKEN)));
      assertEquals(HandshakeException.Reason.MASTER_NOT_AUTHENTIC, e.reason());
      assertTrue(e.getMessage().contains("not a genuine rmiq master"), e.getMessage());
      impostor.get(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Plays the master with a guessed token and says "accepted" whatever the worker proves: it cannot
   * make the key confirmation the worker checks.
   */
  private static void lyingMaster(ServerSocket fake) {
    TestMasters.Identity identity = TestMasters.identity();
    try (Socket raw = fake.accept()) {
      raw.getInputStream().readNBytes(Greeting.HELLO_SIZE);
      raw.getOutputStream().write(Greeting.answer(Greeting.READY));
      SSLSocket ssl = TlsChannel.serve(raw, identity.tls());
      String binding = TlsChannel.binding(identity.certificate());
      DataInputStream in = new DataInputStream(ssl.getInputStream());
      DataOutputStream out = new DataOutputStream(ssl.getOutputStream());
      ECJPAKEParticipant me =
          new ECJPAKEParticipant(
              Pake.MASTER + binding,
              "a-guess".toCharArray(),
              PakeFrames.CURVE,
              new SHA256Digest(),
              new java.security.SecureRandom());
      var mine1 = me.createRound1PayloadToSend();
      var theirs1 = PakeFrames.readRound1(in);
      me.validateRound1PayloadReceived(theirs1);
      PakeFrames.writeRound1(out, mine1);
      PakeFrames.writeRound2(out, me.createRound2PayloadToSend());
      out.flush();
      var theirs2 = PakeFrames.readRound2(in);
      PakeFrames.readRound3(in);
      me.validateRound2PayloadReceived(theirs2);
      var key = me.calculateKeyingMaterial();
      out.writeByte(1); // "accepted"
      PakeFrames.writeRound3(out, me.createRound3PayloadToSend(key));
      out.write(new byte[Pake.REALM]);
      out.flush();
      ssl.getInputStream().read(); // until the worker hangs up
    } catch (Exception e) {
      // the worker hangs up on us: expected
    }
  }

  @Test
  void aRelayWithItsOwnCertificateIsCaughtAndTheMasterCountsIt() throws Exception {
    try (TestMasters master = new TestMasters(TestMasters.encrypted(TOKEN), DEADLINE);
        ServerSocket relay = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> mitm =
          CompletableFuture.runAsync(() -> intercept(relay, master.port()));
      HandshakeException e =
          assertThrows(
              HandshakeException.class,
              () -> TestMasters.join(TestMasters.profile(relay.getLocalPort(), TOKEN)));
      assertEquals(HandshakeException.Reason.MASTER_NOT_AUTHENTIC, e.reason());
      assertTrue(e.getMessage().contains("man in the middle"), e.getMessage());
      await().atMost(Duration.ofSeconds(5)).until(() -> master.listener.failedHandshakes() >= 1);
      mitm.get(5, TimeUnit.SECONDS);
    }
  }

  /**
   * A man in the middle without the token: it ends the worker's TLS with its own certificate, opens
   * its own TLS to the master, and relays everything in between.
   */
  private static void intercept(ServerSocket relay, int masterPort) {
    TestMasters.Identity own = TestMasters.identity();
    try (Socket fromWorker = relay.accept();
        Socket toMaster = new Socket(InetAddress.getLoopbackAddress(), masterPort)) {
      byte[] hello = fromWorker.getInputStream().readNBytes(Greeting.HELLO_SIZE);
      toMaster.getOutputStream().write(hello);
      byte[] answer = toMaster.getInputStream().readNBytes(Greeting.SIZE);
      fromWorker.getOutputStream().write(answer);
      SSLSocket workerSide = TlsChannel.serve(fromWorker, own.tls());
      SSLSocket masterSide = TlsChannel.join(toMaster);
      CompletableFuture<Void> up = pump(workerSide.getInputStream(), masterSide.getOutputStream());
      CompletableFuture<Void> down =
          pump(masterSide.getInputStream(), workerSide.getOutputStream());
      CompletableFuture.anyOf(up, down).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // one side hung up: the interception failed, as it should
    }
  }

  private static CompletableFuture<Void> pump(InputStream in, OutputStream out) {
    return CompletableFuture.runAsync(
        () -> {
          byte[] buffer = new byte[4096];
          try {
            for (int n; (n = in.read(buffer)) > 0; ) {
              out.write(buffer, 0, n);
              out.flush();
            }
          } catch (IOException closed) {
            // done
          }
        });
  }

  @Test
  void aWebServerIsNamedAsOneWithinTheDeadline() throws Exception {
    HttpServer web =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext("/", exchange -> exchange.close());
    web.start();
    try {
      long start = System.nanoTime();
      HandshakeException e =
          assertThrows(
              HandshakeException.class,
              () -> TestMasters.join(TestMasters.profile(web.getAddress().getPort(), TOKEN)));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(HandshakeException.Reason.NOT_RMIQ, e.reason());
      assertTrue(e.getMessage().contains("web server"), e.getMessage());
      assertTrue(millis < 5000, "took " + millis + " ms");
    } finally {
      web.stop(0);
    }
  }

  @Test
  void aPortThatAcceptsButSaysNothingFailsAtTheDeadline() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      long start = System.nanoTime();
      ClientProfile profile =
          new ClientProfile(
              new org.rmiq.net.HostPort("127.0.0.1", silent.getLocalPort()),
              org.rmiq.net.Token.of(TOKEN),
              null,
              Duration.ofSeconds(5),
              Duration.ofSeconds(5),
              Duration.ofMillis(800),
              false);
      HandshakeException e =
          assertThrows(HandshakeException.class, () -> TestMasters.join(profile));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(HandshakeException.Reason.SILENT, e.reason());
      assertTrue(e.getMessage().contains("did not answer rmiq's greeting"), e.getMessage());
      assertTrue(millis >= 700 && millis < 3000, "took " + millis + " ms");
    }
  }

  @Test
  void aPeerThatStopsInTheMiddleIsDroppedAtTheDeadlineAndCounted() throws Exception {
    try (TestMasters master =
            new TestMasters(TestMasters.encrypted(TOKEN), Duration.ofMillis(500));
        Socket peer = new Socket(InetAddress.getLoopbackAddress(), master.port())) {
      peer.getOutputStream().write(Greeting.hello(true)); // greets, then never starts TLS
      peer.setSoTimeout(5000);
      byte[] answer = peer.getInputStream().readNBytes(Greeting.SIZE);
      assertEquals(Greeting.READY, Greeting.last(answer));
      await().atMost(Duration.ofSeconds(5)).until(() -> master.listener.failedHandshakes() == 1);
      assertEquals(-1, peer.getInputStream().read(), "the master closed the connection");
    }
  }

  @Test
  void garbageInsteadOfAGreetingIsCountedAndClosedWithoutAReply() throws Exception {
    try (TestMasters master = new TestMasters(TestMasters.encrypted(TOKEN), DEADLINE)) {
      Random random = new Random(7);
      for (int i = 0; i < 20; i++) {
        try (Socket peer = new Socket()) {
          peer.bind(new InetSocketAddress(TestMasters.loopback(10 + i), 0)); // under the throttle
          peer.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), master.port()));
          byte[] junk = new byte[8 + random.nextInt(200)];
          random.nextBytes(junk);
          junk[0] = 'X';
          peer.getOutputStream().write(junk);
          peer.setSoTimeout(5000);
          assertEquals(-1, readQuietly(peer), "the master answered garbage");
        }
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> master.listener.failedHandshakes() == 20);
    }
  }

  @Test
  void aWrongCodeIsAnsweredOnlyAfterTheTarpitAndShutsNobodyOut() throws Exception {
    try (TestMasters master = new TestMasters(TestMasters.encrypted(TOKEN), DEADLINE)) {
      InetAddress guesser = TestMasters.loopback(2);
      ExecutorService ten = Executors.newFixedThreadPool(10);
      try {
        List<Future<Long>> tries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          tries.add(
              ten.submit(
                  () -> {
                    long start = System.nanoTime();
                    HandshakeException e =
                        assertThrows(
                            HandshakeException.class,
                            () ->
                                TestMasters.join(
                                    TestMasters.profile(master.port(), "guess"), guesser));
                    assertEquals(HandshakeException.Reason.WRONG_TOKEN, e.reason());
                    return System.nanoTime() - start;
                  }));
        }
        for (Future<Long> t : tries) {
          assertTrue(
              t.get(30, TimeUnit.SECONDS) >= GuessLog.TARPIT.toNanos(),
              "a wrong code was answered before the tarpit ended");
        }
      } finally {
        ten.shutdownNow();
      }
      assertEquals("127.0.0.2", master.listener.guessers().get(0).peer());
      assertEquals(10, master.listener.guessers().get(0).wrongCodes());

      long start = System.nanoTime();
      TestMasters.join(TestMasters.profile(master.port(), TOKEN), guesser).socket().close();
      assertNotNull(master.accepted.poll(5, TimeUnit.SECONDS), "127.0.0.2 was shut out");
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }
  }

  @Test
  void aCorrectWorkerJoinsWithin5sWhileAnotherMachineAtItsAddressGuessesNonStop() throws Exception {
    try (TestMasters master = new TestMasters(TestMasters.encrypted(TOKEN), DEADLINE)) {
      InetAddress shared = TestMasters.loopback(3);
      ExecutorService guessers = Executors.newFixedThreadPool(8);
      AtomicBoolean stop = new AtomicBoolean();
      try {
        for (int i = 0; i < 8; i++) {
          guessers.execute(
              () -> {
                while (!stop.get()) {
                  try {
                    TestMasters.join(TestMasters.profile(master.port(), "guess"), shared)
                        .socket()
                        .close();
                  } catch (IOException expected) {
                    // a wrong code, or the master is busy: guess again at once
                  }
                }
              });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !master.listener.guessers().isEmpty());
        long start = System.nanoTime();
        TestMasters.join(TestMasters.profile(master.port(), TOKEN), shared).socket().close();
        assertNotNull(master.accepted.poll(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
      } finally {
        stop.set(true);
        guessers.shutdown();
        assertTrue(guessers.awaitTermination(20, TimeUnit.SECONDS));
      }
      long wrong = master.listener.guessers().get(0).wrongCodes();
      assertTrue(wrong >= 8, "the guessers guessed: " + wrong);
    }
  }

  @Test
  void silentConnectionsFromManyAddressesHoldNoHandshakeSlotsAndAWorkerStillJoins()
      throws Exception {
    try (TestMasters master = new TestMasters(TestMasters.encrypted(TOKEN), DEADLINE)) {
      List<Socket> silent = new ArrayList<>();
      try {
        for (int i = 0; i < 2000; i++) {
          Socket s = new Socket();
          s.bind(new InetSocketAddress(TestMasters.loopback(2 + i % 16), 0));
          s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), master.port()), 5000);
          silent.add(s);
        }
        long start = System.nanoTime();
        TestMasters.join(TestMasters.profile(master.port(), TOKEN)).socket().close();
        assertNotNull(master.accepted.poll(5, TimeUnit.SECONDS));
        assertTrue(
            System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3),
            "the worker waited behind the silent connections");
      } finally {
        for (Socket s : silent) {
          s.close();
        }
      }
    }
  }

  @Test
  void moreThanTheCapInOneCallClosesTheConnection() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      GuardedSocket guarded = new GuardedSocket(accepted, 1000, () -> {}, null);
      client.getOutputStream().write(new byte[900]);
      guarded.getInputStream().readNBytes(900);
      guarded.getOutputStream().write(1); // our answer: the next call counts afresh
      client.getOutputStream().write(new byte[900]);
      guarded.getInputStream().readNBytes(900);
      client.getOutputStream().write(new byte[200]); // 1,100 bytes without an answer between
      IOException e =
          assertThrows(IOException.class, () -> guarded.getInputStream().readNBytes(200));
      assertTrue(e.getMessage().contains("more than 1000 bytes in one call"), e.getMessage());
      assertTrue(guarded.isClosed());
    }
  }

  private static int readQuietly(Socket peer) {
    try {
      return peer.getInputStream().read();
    } catch (IOException reset) {
      return -1;
    }
  }
}
