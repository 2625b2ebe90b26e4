package org.rmiq.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handshake over real loopback sockets: one side here, the other in a future. */
class HandshakeTest {
  private static final byte[] KEY = "the-shared-token".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER_KEY = "another-token".getBytes(StandardCharsets.UTF_8);
  private static final byte[] REALM = Handshake.newRealm();

  private ServerSocket listener;

  @BeforeEach
  void listen() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void close() throws IOException {
    listener.close();
  }

  private CompletableFuture<Void> serveOnce(byte[] key, long deadlineMillis) {
    return CompletableFuture.runAsync(
        () -> {
          try (Socket s = listener.accept()) {
            Handshake.serve(s, key, REALM, deadlineMillis, null);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  private Socket connect() throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
  }

  private static HandshakeException serverFailure(CompletableFuture<Void> server) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> server.get(10, TimeUnit.SECONDS));
    Throwable cause = e.getCause().getCause();
    assertTrue(
        cause instanceof HandshakeException || cause instanceof java.io.EOFException,
        "unexpected failure: " + cause);
    return cause instanceof HandshakeException h ? h : null;
  }

  @Test
  void bothSidesWithTheSameTokenAgreeAndTheWorkerLearnsTheRealm() throws Exception {
    CompletableFuture<Void> server = serveOnce(KEY, 2000);
    try (Socket client = connect()) {
      assertArrayEquals(REALM, Handshake.join(client, KEY, 2000, null).realm());
    }
    server.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aWorkerWithTheWrongTokenIsRefusedAndBothSidesSaySo() throws Exception {
    CompletableFuture<Void> server = serveOnce(KEY, 2000);
    try (Socket client = connect()) {
      HandshakeException e =
          assertThrows(
              HandshakeException.class, () -> Handshake.join(client, OTHER_KEY, 2000, null));
      assertEquals(HandshakeException.Reason.WRONG_TOKEN, e.reason());
      assertEquals("the master refused our token", e.getMessage());
    }
    assertEquals(HandshakeException.Reason.WRONG_TOKEN, serverFailure(server).reason());
  }

  @Test
  void aFakeMasterThatAcceptsWithoutTheTokenIsRefusedByTheWorker() throws Exception {
    CompletableFuture<Void> fake =
        CompletableFuture.runAsync(
            () -> {
              try (Socket s = listener.accept()) {
                s.getOutputStream()
                    .write(new byte[] {'R', 'M', 'I', 'Q', Handshake.VERSION, Handshake.PLAIN});
                byte[] hello = new byte[Handshake.HELLO_SIZE];
                System.arraycopy(Handshake.MAGIC, 0, hello, 0, 4);
                hello[4] = Handshake.VERSION;
                s.getOutputStream().write(hello);
                s.getInputStream().readNBytes(Handshake.ANSWER_SIZE);
                byte[] proof = new byte[Handshake.PROOF_SIZE];
                proof[0] = Handshake.ACCEPTED; // claims success with a MAC it cannot compute
                s.getOutputStream().write(proof);
                s.getInputStream().read();
              } catch (IOException ignored) {
                // the worker hangs up
              }
            });
    try (Socket client = connect()) {
      HandshakeException e =
          assertThrows(HandshakeException.class, () -> Handshake.join(client, KEY, 2000, null));
      assertEquals(HandshakeException.Reason.MASTER_NOT_AUTHENTIC, e.reason());
    }
    fake.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aWorkerExpectingTlsIsToldTheMasterDoesNotUseIt() throws Exception {
    CompletableFuture<Void> server = serveOnce(KEY, 2000);
    try (Socket client = connect()) {
      HandshakeException e =
          assertThrows(
              HandshakeException.class,
              () -> Handshake.join(client, KEY, 2000, javax.net.ssl.SSLContext.getDefault()));
      assertEquals(HandshakeException.Reason.TLS_MISMATCH, e.reason());
      assertEquals(
          "the master does not use TLS: start this worker without --tls, or the master"
              + " with --tls",
          e.getMessage());
    }
    serverFailure(server);
  }

  @Test
  void aTruncatedAnswerFailsOnTheServer() throws Exception {
    CompletableFuture<Void> server = serveOnce(KEY, 2000);
    try (Socket client = connect()) {
      client.getInputStream().readNBytes(Handshake.PREAMBLE_SIZE + Handshake.HELLO_SIZE);
      client.getOutputStream().write(new byte[10]);
    }
    serverFailure(server);
  }

  @Test
  void anOversizedAnswerIsRefusedWithoutReadingItAll() throws Exception {
    CompletableFuture<Void> server = serveOnce(KEY, 2000);
    try (Socket client = connect()) {
      client.getInputStream().readNBytes(Handshake.PREAMBLE_SIZE + Handshake.HELLO_SIZE);
      byte[] junk = new byte[1 << 16];
      java.util.Arrays.fill(junk, (byte) 'R');
      try {
        client.getOutputStream().write(junk);
      } catch (IOException closedByServer) {
        // the server may hang up before we finish writing
      }
    }
    HandshakeException e = serverFailure(server);
    assertEquals(HandshakeException.Reason.PROTOCOL, e.reason());
  }

  @Test
  void aSilentPeerIsDroppedAtTheDeadline() throws Exception {
    long start = System.nanoTime();
    CompletableFuture<Void> server = serveOnce(KEY, 300);
    Socket silent = connect();
    try {
      HandshakeException e = serverFailure(server);
      assertEquals(HandshakeException.Reason.TIMEOUT, e.reason());
    } finally {
      silent.close();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis >= 250 && millis < 5000, "took " + millis + " ms");
  }

  @Test
  void aTricklingPeerIsDroppedAtTheDeadlineNotPerRead() throws Exception {
    CompletableFuture<Void> server = serveOnce(KEY, 500);
    long start = System.nanoTime();
    try (Socket client = connect()) {
      client.getInputStream().readNBytes(Handshake.PREAMBLE_SIZE + Handshake.HELLO_SIZE);
      OutputStream out = client.getOutputStream();
      for (int i = 0; i < 8 && !server.isDone(); i++) {
        out.write('R');
        out.flush();
        TimeUnit.MILLISECONDS.sleep(200); // the trickle itself is the behaviour under test
      }
      assertEquals(HandshakeException.Reason.TIMEOUT, serverFailure(server).reason());
    }
    assertTrue((System.nanoTime() - start) / 1_000_000 < 1500);
  }

  @Test
  void aReplayedAnswerFromAnEarlierConnectionIsRefused() throws Exception {
    // Record a genuine worker's answer on one connection...
    CompletableFuture<Void> first = serveOnce(KEY, 2000);
    ByteArrayOutputStream recorded = new ByteArrayOutputStream();
    try (Socket client = new RecordingSocket(listener.getLocalPort(), recorded)) {
      Handshake.join(client, KEY, 2000, null);
    }
    first.get(10, TimeUnit.SECONDS);
    // ...and replay it on the next: the master's fresh nonce makes it worthless.
    CompletableFuture<Void> second = serveOnce(KEY, 2000);
    try (Socket attacker = connect()) {
      attacker.getInputStream().readNBytes(Handshake.PREAMBLE_SIZE + Handshake.HELLO_SIZE);
      attacker.getOutputStream().write(recorded.toByteArray());
      byte[] proof = attacker.getInputStream().readNBytes(Handshake.PROOF_SIZE);
      assertEquals(Handshake.REFUSED, proof[0]);
    }
    assertEquals(HandshakeException.Reason.WRONG_TOKEN, serverFailure(second).reason());
  }

  /** A socket that copies everything written to it. */
  private static final class RecordingSocket extends Socket {
    private final ByteArrayOutputStream copy;

    RecordingSocket(int port, ByteArrayOutputStream copy) throws IOException {
      super(InetAddress.getLoopbackAddress(), port);
      this.copy = copy;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      OutputStream real = super.getOutputStream();
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          copy.write(b);
          real.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          copy.write(b, off, len);
          real.write(b, off, len);
        }
      };
    }

    @Override
    public InputStream getInputStream() throws IOException {
      return super.getInputStream();
    }
  }
}
