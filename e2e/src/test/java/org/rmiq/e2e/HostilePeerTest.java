package org.rmiq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.server.RemoteObject;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.transport.MasterClientSocketFactory;
import org.rmiq.internal.wire.FileChunk;
import org.rmiq.internal.wire.JoinRequest;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.master.Master;
import org.rmiq.master.TaskOutcome;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import org.rmiq.worker.Worker;

/**
 * Peers that behave like attackers against a real master on loopback: each must fail to get
 * anything deserialized, and the master must go on serving a real worker afterwards.
 */
class HostilePeerTest {
  private static final Token TOKEN = Token.of("hostile-test-token-0123456789");
  private Master master;

  @BeforeEach
  void startMaster() throws IOException {
    Canary.built = false;
    master = Master.builder().port(0).token(TOKEN).build().start();
  }

  @AfterEach
  void stopMaster() {
    master.close();
  }

  /** Proves the master still serves: a real worker squares a number. */
  private void assertMasterStillServes() throws Exception {
    Worker worker =
        Worker.builder(new HostPort("127.0.0.1", master.port()), TOKEN).threads(1).build();
    worker.startAsync();
    try {
      master.submit("square", "11");
      TaskOutcome outcome = master.poll(Duration.ofSeconds(30));
      assertNotNull(outcome, "a real worker could not get its task done");
      assertEquals("121", outcome.value());
    } finally {
      worker.stopAsync().awaitTerminated(30, TimeUnit.SECONDS);
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), master.port());
    socket.setSoTimeout(15_000);
    return socket;
  }

  /** Reads until the master closes the connection; fails if it keeps it open too long. */
  private static void awaitClosedByMaster(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // the master's hello and (possibly) its refusal; then end of stream
      }
    } catch (java.net.SocketException reset) {
      // closed with a reset: also closed
    }
  }

  @Test
  void rawJrmpWithASerializedObjectIsNeverDeserialized() throws Exception {
    try (Socket socket = connect()) {
      try {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(0x4a524d49); // "JRMI"
        out.writeShort(2);
        out.writeByte(0x4c); // SingleOpProtocol
        out.writeByte(0x50); // Call
        ObjectOutputStream objects = new ObjectOutputStream(out);
        objects.writeObject(new Canary());
        objects.flush();
      } catch (IOException hungUp) {
        // the master closed the connection at "JRMI", which is no rmiq greeting
      }
      awaitClosedByMaster(socket);
    }
    assertFalse(Canary.built, "the master deserialized an unauthenticated peer's object");
    assertMasterStillServes();
  }

  @Test
  void fuzzedHandshakesAreDroppedAndTheMasterCarriesOn() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 150; i++) {
      // From many addresses, two each: one address failing ten times a minute is shut out,
      // and this test is about what the master does with each malformed handshake.
      try (Socket socket = new Socket()) {
        socket.bind(
            new InetSocketAddress(
                InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) (i / 2)}), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), master.port()));
        socket.setSoTimeout(15_000);
        int size =
            switch (i % 3) {
              case 0 -> random.nextInt(69); // truncated: shorter than an answer
              case 1 -> 69; // the right size, random content
              default -> 65_536; // oversized
            };
        byte[] junk = new byte[size];
        random.nextBytes(junk);
        if (i % 5 == 0 && size > 4) {
          System.arraycopy("RMIQ".getBytes(StandardCharsets.US_ASCII), 0, junk, 0, 4);
        }
        try {
          socket.getOutputStream().write(junk);
          socket.shutdownOutput();
        } catch (IOException closedEarly) {
          // the master may hang up before the junk is all written
        }
        awaitClosedByMaster(socket);
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> master.progress().refusedConnections() >= 150);
    assertMasterStillServes();
  }

  @Test
  void fiveHundredSilentConnectionsFromAnotherHostDoNotLockOutARealWorker() throws Exception {
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 500; i++) {
        Socket socket = new Socket();
        socket.bind(
            new InetSocketAddress(
                InetAddress.getByAddress(new byte[] {127, 0, 0, 2}),
                0)); // the flood comes from another host
        socket.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), master.port()), 5000);
        silent.add(socket);
      }
      assertMasterStillServes();
    } finally {
      for (Socket socket : silent) {
        socket.close();
      }
    }
  }

  /** The master's stub as a peer holding the token gets it, to call methods directly. */
  private static MasterService tokenHolderStub(int port) throws Exception {
    ClientProfile profile = ClientProfile.of(new HostPort("127.0.0.1", port), TOKEN);
    return (MasterService)
        LocateRegistry.getRegistry("127.0.0.1", port, MasterClientSocketFactory.bootstrap(profile))
            .lookup(MasterService.BINDING);
  }

  @Test
  void withTheTokenAClassOutsideTheAllowListIsRejectedAndTheMasterCarriesOn() throws Exception {
    MasterService stub = tokenHolderStub(master.port());
    Method join = MasterService.class.getMethod("join", JoinRequest.class);
    // Send a Canary where join's JoinRequest belongs, below the typed interface.
    Exception e =
        assertThrows(
            RemoteException.class,
            () ->
                ((RemoteObject) java.lang.reflect.Proxy.getInvocationHandler(stub))
                    .getRef()
                    .invoke(stub, join, new Object[] {new Canary()}, methodHash(join)));
    assertTrue(
        String.valueOf(e).contains("REJECTED") || String.valueOf(e.getCause()).contains("REJECTED"),
        e.toString());
    assertFalse(Canary.built, "the filter let a class outside the allow-list through");
    assertMasterStillServes();
  }

  @Test
  void aPlainRmiClientCannotCallAnything() throws Exception {
    var registry = LocateRegistry.getRegistry("127.0.0.1", master.port());
    assertThrows(RemoteException.class, () -> registry.lookup(MasterService.BINDING));
    assertThrows(RemoteException.class, registry::list);
    assertMasterStillServes();
  }

  @Test
  void theStubsWorkersReceiveCarryNoSecret() throws Exception {
    MasterService stub = tokenHolderStub(master.port());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(stub);
    }
    String serialized = bytes.toString(StandardCharsets.ISO_8859_1);
    assertFalse(serialized.contains("hostile-test-token"), "the token is inside the stub");
    assertTrue(serialized.contains("MasterClientSocketFactory"), "the stub carries our factory");
  }

  @Test
  void aTokenHolderCannotWriteFilesOutsideTheCollectFolder(@TempDir Path dir) throws Exception {
    Path collected = dir.resolve("collected");
    try (Master collecting =
        Master.builder().port(0).token(TOKEN).collect(collected, 1 << 20).build().start()) {
      MasterService stub = tokenHolderStub(collecting.port());
      String session =
          stub.join(new JoinRequest(MasterService.PROTOCOL, "w", "h", 1, List.of("download")))
              .sessionId();
      long task = collecting.submit("download", "http://example.com/a.jpg");
      byte[] data = "not an image".getBytes(StandardCharsets.UTF_8);
      String sha = com.google.common.hash.Hashing.sha256().hashBytes(data).toString();
      assertEquals(
          "_.._.._escape",
          stub.upload(new FileChunk(session, task, "../../../escape", 0, data, true, sha)));
      try (var files = java.nio.file.Files.list(collected)) {
        assertEquals(List.of("_.._.._escape"), files.map(p -> p.getFileName().toString()).toList());
      }
      assertFalse(java.nio.file.Files.exists(dir.resolve("escape")));
      IllegalArgumentException notOpen =
          assertThrows(
              IllegalArgumentException.class,
              () -> stub.upload(new FileChunk(session, 999, "x", 0, data, true, sha)));
      assertTrue(notOpen.getMessage().contains("task 999 is not waiting for a result"));
    }
    // A master without --collect takes no files at all.
    MasterService stub = tokenHolderStub(master.port());
    String session =
        stub.join(new JoinRequest(MasterService.PROTOCOL, "w", "h", 1, List.of("download")))
            .sessionId();
    long task = master.submit("download", "http://example.com/a.jpg");
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                stub.upload(
                    new FileChunk(session, task, "a", 0, new byte[1], true, "0".repeat(64))));
    assertTrue(refused.getMessage().contains("does not collect files"), refused.getMessage());
  }

  @Test
  void rmiIsHardenedAndPeersGetNoServerStackTraces() throws Exception {
    assertEquals("true", System.getProperty("java.rmi.server.randomIDs"));
    assertEquals("true", System.getProperty("java.rmi.server.useCodebaseOnly"));
    assertEquals("true", System.getProperty("sun.rmi.server.suppressStackTraces"));
    assertEquals(null, System.getProperty("com.sun.management.jmxremote"));
    assertEquals(null, System.getProperty("java.rmi.server.codebase"));
    MasterService stub = tokenHolderStub(master.port());
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                stub.join(
                    new JoinRequest(MasterService.PROTOCOL + 1, "w", "h", 1, List.of("square"))));
    assertTrue(refused.getMessage().contains("run the same rmiq version"));
    for (StackTraceElement frame : refused.getStackTrace()) {
      assertFalse(
          frame.getClassName().startsWith("org.rmiq.master"),
          "a server frame reached the peer: " + frame);
    }
  }

  /** RMI's method hash (the JRMP spec): SHA-1 of the name and descriptor, little-endian. */
  private static long methodHash(Method method) throws Exception {
    StringBuilder descriptor = new StringBuilder(method.getName()).append('(');
    for (Class<?> p : method.getParameterTypes()) {
      descriptor.append('L').append(p.getName().replace('.', '/')).append(';');
    }
    descriptor.append(")L").append(method.getReturnType().getName().replace('.', '/')).append(';');
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new DataOutputStream(bytes).writeUTF(descriptor.toString());
    byte[] sha = MessageDigest.getInstance("SHA-1").digest(bytes.toByteArray());
    long hash = 0;
    for (int i = 0; i < Math.min(8, sha.length); i++) {
      hash += (long) (sha[i] & 0xFF) << (i * 8);
    }
    return hash;
  }

  /** Flips {@link #built} if it is ever deserialized. */
  static final class Canary implements Serializable {
    static volatile boolean built;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      built = true;
    }
  }
}
