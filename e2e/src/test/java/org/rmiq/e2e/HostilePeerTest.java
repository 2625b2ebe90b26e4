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
import org.rmiq.internal.wire.ExchangeReply;
import org.rmiq.internal.wire.ExchangeRequest;
import org.rmiq.internal.wire.FileChunk;
import org.rmiq.internal.wire.Leave;
import org.rmiq.internal.wire.LinkRequest;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.internal.wire.SessionRequest;
import org.rmiq.internal.wire.Slot;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.internal.wire.UploadReply;
import org.rmiq.master.Master;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;
import org.rmiq.report.TaskOutcome;
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
      // From many addresses, two each, as a scan across a network would come.
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

  /** A token holder speaking the protocol itself, as a student's own program could. */
  private static final class Peer {
    final MasterService stub;
    final String link;

    Peer(int port) throws Exception {
      stub = tokenHolderStub(port);
      link =
          stub.openLink(new LinkRequest(MasterService.PROTOCOL, "student-pc", false, "", ""))
              .linkId();
    }

    String session(String name, int threads, String... kinds) throws Exception {
      return stub.openSession(new SessionRequest(link, name, threads, List.of(kinds))).sessionId();
    }

    ExchangeReply exchange(String session, List<TaskResult> results, int room) throws Exception {
      return stub.exchange(
          new ExchangeRequest(link, List.of(new Slot(session, results, room)), 0, 0));
    }
  }

  private Worker honestWorker(Master on) {
    Worker worker =
        Worker.builder(new HostPort("127.0.0.1", on.port()), TOKEN)
            .name("honest")
            .threads(2)
            .build();
    worker.startAsync();
    return worker;
  }

  @Test
  void withTheTokenAClassOutsideTheAllowListIsRejectedAndTheMasterCarriesOn() throws Exception {
    MasterService stub = tokenHolderStub(master.port());
    Method openLink = MasterService.class.getMethod("openLink", LinkRequest.class);
    // Send a Canary where openLink's request belongs, below the typed interface.
    Exception e =
        assertThrows(
            RemoteException.class,
            () ->
                ((RemoteObject) java.lang.reflect.Proxy.getInvocationHandler(stub))
                    .getRef()
                    .invoke(stub, openLink, new Object[] {new Canary()}, methodHash(openLink)));
    assertTrue(
        String.valueOf(e).contains("REJECTED") || String.valueOf(e.getCause()).contains("REJECTED"),
        e.toString());
    assertFalse(Canary.built, "the filter let a class outside the allow-list through");
    assertMasterStillServes();
  }

  @Test
  void aHashBombInsideOnceAllowedCollectionsIsRefusedInWellUnderASecond() throws Exception {
    MasterService stub = tokenHolderStub(master.port());
    Method exchange = MasterService.class.getMethod("exchange", ExchangeRequest.class);
    // Nested lists sharing references: a few hundred bytes, width^depth steps to hash.
    Object bomb = List.of();
    for (int i = 0; i < 40; i++) {
      bomb = java.util.Set.of(List.of(bomb, 1), List.of(bomb, 2));
    }
    Object payload = bomb;
    long start = System.nanoTime();
    Exception e =
        assertThrows(
            RemoteException.class,
            () ->
                ((RemoteObject) java.lang.reflect.Proxy.getInvocationHandler(stub))
                    .getRef()
                    .invoke(stub, exchange, new Object[] {payload}, methodHash(exchange)));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(
        String.valueOf(e).contains("REJECTED") || String.valueOf(e.getCause()).contains("REJECTED"),
        e.toString());
    assertTrue(millis < 1000, "refused after " + millis + " ms");
    assertMasterStillServes();
  }

  @Test
  void plainRmiClientCannotCallAnything() throws Exception {
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
  void forgedResultsAreRefusedCountedAndNeverCollected() throws Exception {
    List<Long> ids =
        master.submit(
            "square",
            java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(Integer::toString).toList());
    Peer student = new Peer(master.port());
    // Joined, but for another kind: it is never handed a square.
    String session = student.session("student", 1, "other");
    List<TaskResult> forged = ids.stream().map(id -> TaskResult.ok(id, "666", 1)).toList();
    student.exchange(session, forged, 0);
    // And with a session it never joined.
    student.stub.exchange(
        new ExchangeRequest(student.link, List.of(new Slot("0".repeat(32), forged, 0)), 0, 0));
    assertTrue(master.progress().forged() >= 40, "forged: " + master.progress().forged());
    Worker honest = honestWorker(master);
    try {
      for (int i = 0; i < 20; i++) {
        TaskOutcome o = master.poll(Duration.ofSeconds(20));
        assertNotNull(o, "result " + i + " did not arrive");
        long n = Long.parseLong(o.input());
        assertEquals(Long.toString(n * n), o.value(), "a forged value was collected");
        assertEquals("honest", o.worker());
      }
      // A task it does not hold takes no file from it either.
      UploadReply upload =
          student.stub.upload(
              new FileChunk(
                  student.link, session, ids.get(0), "x", 0, new byte[1], true, "0".repeat(64)));
      assertNotNull(upload.refusal());
    } finally {
      honest.stopAsync().awaitTerminated(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aHoarderHoldsNoMoreThanItsThreadsJustifyAndTheJobFinishesAnyway() throws Exception {
    try (Master timed =
        Master.builder().port(0).token(TOKEN).taskTimeout(Duration.ofSeconds(2)).build().start()) {
      timed.submit(
          "square",
          java.util.stream.IntStream.rangeClosed(1, 40).mapToObj(Integer::toString).toList());
      Peer hoarder = new Peer(timed.port());
      String session = hoarder.session("hoarder", 1, "square");
      ExchangeReply took = hoarder.exchange(session, List.of(), 10_000);
      int held = took.tasks().stream().mapToInt(t -> t.tasks().size()).sum();
      assertTrue(held <= 2, "a 1-thread session was given " + held + " tasks");
      // It keeps its link alive and never answers.
      java.util.concurrent.ScheduledExecutorService heartbeat =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      var unused =
          heartbeat.scheduleWithFixedDelay(
              () -> {
                try {
                  hoarder.exchange(session, List.of(), 0);
                } catch (Exception ignored) {
                  // the test ends it
                }
              },
              200,
              200,
              TimeUnit.MILLISECONDS);
      Worker honest = honestWorker(timed);
      try {
        java.util.Set<Long> done = new java.util.HashSet<>();
        while (done.size() < 40) {
          TaskOutcome o = timed.poll(Duration.ofSeconds(20));
          assertNotNull(o, "the job stalled behind the hoarder at " + done.size() + " of 40");
          assertTrue(o.ok(), o.toString());
          done.add(o.id());
        }
      } finally {
        heartbeat.shutdownNow();
        honest.stopAsync().awaitTerminated(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aHoarderClaiming4096ThreadsCannotHoldUpSleep200x40WithDefaultSettings() throws Exception {
    master.submit("sleep", java.util.stream.IntStream.range(0, 40).mapToObj(i -> "200").toList());
    Peer hoarder = new Peer(master.port());
    String session = hoarder.session("hoarder", 4096, "sleep");
    ExchangeReply took = hoarder.exchange(session, List.of(), 4096);
    int held = took.tasks().stream().mapToInt(t -> t.tasks().size()).sum();
    assertTrue(held <= 16, "a session that delivered nothing was given " + held + " tasks");
    java.util.concurrent.ScheduledExecutorService heartbeat =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    var unused =
        heartbeat.scheduleWithFixedDelay(
            () -> {
              try {
                hoarder.exchange(session, List.of(), 0);
              } catch (Exception ignored) {
                // the test ends it
              }
            },
            200,
            200,
            TimeUnit.MILLISECONDS);
    Worker honest = honestWorker(master);
    try {
      java.util.Set<Long> done = new java.util.HashSet<>();
      while (done.size() < 40) {
        TaskOutcome o = master.poll(Duration.ofSeconds(20));
        assertNotNull(o, "the job stalled behind the hoarder at " + done.size() + " of 40");
        assertTrue(o.ok(), o.toString());
        done.add(o.id());
      }
    } finally {
      heartbeat.shutdownNow();
      honest.stopAsync().awaitTerminated(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aJoinFloodIsCappedPerAddressPrunedAndKeepsTheStatusSmall() throws Exception {
    Peer flood = new Peer(master.port());
    int refused = 0;
    List<String> live = new ArrayList<>();
    for (int i = 0; i < 2_100; i++) {
      try {
        live.add(flood.session("flood-" + i, 1, "square"));
      } catch (org.rmiq.internal.wire.MasterBusyException busy) {
        refused++;
      }
    }
    assertTrue(refused > 0, "one address opened 2,100 live sessions");
    flood.stub.leave(new Leave(flood.link, live, true));
    for (int round = 0; round < 5; round++) {
      Peer again = new Peer(master.port());
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        ids.add(again.session("again-" + round + "-" + i, 1, "square"));
      }
      again.stub.leave(new Leave(again.link, ids, true));
    }
    assertEquals(0, master.progress().workersConnected(), "left sessions are pruned");
    var status = master.status();
    assertTrue(status.workers().size() <= 200, status.workers().size() + " rows sent");
    byte[] json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(status);
    assertTrue(json.length < 200_000, "/api/status is " + json.length + " bytes");
    assertMasterStillServes();
  }

  @Test
  void collectedFilesAreBoundedInTotalEvenWhenUploadsNeverFinish(@TempDir Path dir)
      throws Exception {
    Path collected = dir.resolve("collected");
    try (Master collecting =
        Master.builder()
            .port(0)
            .token(TOKEN)
            .collect(collected, 8 << 20, 2 << 20)
            .build()
            .start()) {
      collecting.submit("download", java.util.Collections.nCopies(8, "http://example.com/a.jpg"));
      Peer uploader = new Peer(collecting.port());
      String session = uploader.session("uploader", 4, "download");
      List<Long> held = new ArrayList<>();
      uploader
          .exchange(session, List.of(), 8)
          .tasks()
          .forEach(t -> t.tasks().forEach(x -> held.add(x.id())));
      assertTrue(held.size() >= 4, "held " + held);
      byte[] chunk = new byte[FileChunk.MAX_BYTES];
      int refusedChunks = 0;
      for (long task : held) {
        for (int part = 0; part < 3; part++) {
          UploadReply reply =
              uploader.stub.upload(
                  new FileChunk(
                      uploader.link,
                      session,
                      task,
                      "f" + task,
                      (long) part * chunk.length,
                      chunk,
                      false,
                      null));
          if (reply.refusal() != null) {
            refusedChunks++;
          }
        }
      }
      assertTrue(refusedChunks > 0, "unfinished uploads grew without a bound");
      long bytes;
      try (var files = java.nio.file.Files.walk(dir)) {
        bytes =
            files
                .filter(java.nio.file.Files::isRegularFile)
                .mapToLong(p -> p.toFile().length())
                .sum();
      }
      assertTrue(bytes <= (2 << 20) + FileChunk.MAX_BYTES, bytes + " bytes on disk");
    }
  }

  @Test
  void aTokenHolderCannotWriteFilesOutsideTheCollectFolder(@TempDir Path dir) throws Exception {
    Path collected = dir.resolve("collected");
    try (Master collecting =
        Master.builder().port(0).token(TOKEN).collect(collected, 1 << 20, 0).build().start()) {
      Peer peer = new Peer(collecting.port());
      String session = peer.session("w", 1, "download");
      long task = collecting.submit("download", "http://example.com/a.jpg");
      peer.exchange(session, List.of(), 1);
      byte[] data = "not an image".getBytes(StandardCharsets.UTF_8);
      String sha = com.google.common.hash.Hashing.sha256().hashBytes(data).toString();
      UploadReply stored =
          peer.stub.upload(
              new FileChunk(peer.link, session, task, "../../../escape", 0, data, true, sha));
      assertEquals("_.._.._escape", stored.stored());
      try (var files = java.nio.file.Files.list(collected)) {
        assertEquals(List.of("_.._.._escape"), files.map(p -> p.getFileName().toString()).toList());
      }
      assertFalse(java.nio.file.Files.exists(dir.resolve("escape")));
    }
    // A master without --collect takes no files at all.
    Peer peer = new Peer(master.port());
    String session = peer.session("w", 1, "download");
    long task = master.submit("download", "http://example.com/a.jpg");
    peer.exchange(session, List.of(), 1);
    UploadReply refused =
        peer.stub.upload(
            new FileChunk(peer.link, session, task, "a", 0, new byte[1], true, "0".repeat(64)));
    assertTrue(refused.refusal().contains("does not collect files"), refused.refusal());
  }

  @Test
  void aJoinWithControlCharactersIsRefusedSoNothingReachesATerminalOrALog() throws Exception {
    Peer peer = new Peer(master.port());
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> peer.session("evil\u001b]0;pwned\u0007", 1, "square"));
    assertTrue(refused.getMessage().contains("control character"), refused.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            peer.stub.openLink(
                new LinkRequest(MasterService.PROTOCOL, "h\nforged line", false, "", "")));
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
            () -> stub.openLink(new LinkRequest(MasterService.PROTOCOL + 1, "h", false, "", "")));
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
