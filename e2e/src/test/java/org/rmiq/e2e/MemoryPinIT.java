package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.server.RMIClientSocketFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.internal.transport.MasterClientSocketFactory;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;

/**
 * Token holders who start big calls and go silent cannot pin the master's heap: 200 connections
 * each send the first MiB of a 4 MiB call and stop, against a master with a 256 MiB heap. The
 * master stays responsive, a worker still joins and finishes the job, and its heap stays within the
 * bytes-in-flight budget (a tenth of the heap, at least 32 MiB) plus connection overheads.
 */
class MemoryPinIT {
  private static final String TOKEN = "memory-pin-token-0123456789";
  private static final int ATTACKERS = 200;
  private static final int SENT_BYTES = 1 << 20;
  private static final Duration EXIT = Duration.ofMinutes(2);

  @TempDir Path dir;
  @RegisterExtension final Processes processes = new Processes(TOKEN);

  @Test
  void twoHundredHalfSentFourMibCallsNeitherPinTheHeapNorStallTheMaster() throws Exception {
    JvmProcess master =
        processes.track(
            JvmProcess.start(
                "master",
                dir,
                JvmProcess.masterJar(),
                TOKEN,
                List.of("-Xmx256m"),
                "--port",
                "0",
                "--status-port",
                "0",
                "sleep",
                "100x20"));
    int port = master.awaitMasterPort();
    int status = statusPort(master);
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong sent = new AtomicLong();
    AtomicInteger ended = new AtomicInteger(); // attackers that stalled, or failed before
    RMIClientSocketFactory stalling =
        new StallingFactory(
            MasterClientSocketFactory.bootstrap(
                ClientProfile.of(new HostPort("127.0.0.1", port), Token.of(TOKEN))),
            release,
            sent,
            ended);
    String huge = "x".repeat(4 << 20);
    List<Thread> attackers = new ArrayList<>();
    try {
      // In waves of 10: an address gets 16 handshakes at once, and more would just be "busy".
      for (int i = 0; i < ATTACKERS; i++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    LocateRegistry.getRegistry("127.0.0.1", port, stalling).lookup(huge);
                  } catch (Exception closed) {
                    if (!StallingFactory.STALLED.get()) {
                      ended.incrementAndGet(); // refused or closed before it stalled
                    }
                  }
                });
        t.setDaemon(true);
        t.start();
        attackers.add(t);
        if (attackers.size() % 10 == 0) {
          int wave = attackers.size();
          org.awaitility.Awaitility.await("wave " + wave / 10 + " of attackers stalled")
              .atMost(Duration.ofSeconds(30))
              .until(() -> ended.get() >= wave);
        }
      }

      long start = System.nanoTime();
      String page = get(status, "/api/status");
      assertTrue(page.contains("\"phase\""), page);
      assertTrue(
          System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5),
          "the status page took over 5 s under the attack");
      long usedMib = heapUsedMib(master.pid());
      System.out.printf(
          "MemoryPinIT: %d attackers sent %d MiB; the master's heap after GC: %d MiB of 256%n",
          ATTACKERS, sent.get() >> 20, usedMib);
      assertTrue(
          usedMib <= 128,
          "the master's heap holds " + usedMib + " MiB of 256 under " + ATTACKERS + " half calls");

      JvmProcess worker = processes.in(dir).worker("w", "127.0.0.1:" + port, "--exit-when-done");
      assertEquals(0, master.awaitExit(EXIT), master.stderr());
      assertEquals(0, worker.awaitExit(EXIT), worker.stderr());
      assertTrue(sent.get() > 32L << 20, "the attack sent only " + (sent.get() >> 20) + " MiB");
    } finally {
      release.countDown();
      for (Thread t : attackers) {
        t.interrupt();
      }
    }
  }

  /** The master's heap in use after a full GC, from jcmd (in the same JDK as the tests). */
  private static long heapUsedMib(long pid) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    run(jcmd.toString(), Long.toString(pid), "GC.run");
    String info = run(jcmd.toString(), Long.toString(pid), "GC.heap_info");
    Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
    assertTrue(m.find(), info);
    return Long.parseLong(m.group(1)) >> 10;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return out;
  }

  private static int statusPort(JvmProcess master) {
    master.awaitStderr("status page: http://", Duration.ofSeconds(30));
    Matcher m = Pattern.compile("status page: http://[^:]+:(\\d+)/").matcher(master.stderr());
    assertTrue(m.find(), master.stderr());
    return Integer.parseInt(m.group(1));
  }

  private static String get(int port, String path) throws Exception {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .build()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Authenticated sockets whose calls stop after {@link #SENT_BYTES} bytes and stay silent. */
  private record StallingFactory(
      RMIClientSocketFactory real, CountDownLatch release, AtomicLong sent, AtomicInteger ended)
      implements RMIClientSocketFactory, Serializable {
    /** Whether this attacker thread has stalled its call. */
    static final ThreadLocal<Boolean> STALLED = ThreadLocal.withInitial(() -> false);

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      Socket socket = real.createSocket(host, port);
      OutputStream stalling =
          new FilterOutputStream(socket.getOutputStream()) {
            private long written;

            @Override
            public void write(int b) throws IOException {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              int room = (int) Math.max(0, Math.min(len, SENT_BYTES - written));
              out.write(b, off, room);
              written += room;
              sent.addAndGet(room);
              if (room < len) {
                out.flush();
                STALLED.set(true);
                ended.incrementAndGet();
                try {
                  release.await(); // silent from here on
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                throw new InterruptedIOException("released");
              }
            }
          };
      return new Socket() {
        @Override
        public OutputStream getOutputStream() {
          return stalling;
        }

        @Override
        public java.io.InputStream getInputStream() throws IOException {
          return socket.getInputStream();
        }

        @Override
        public synchronized void close() throws IOException {
          socket.close();
        }

        @Override
        public boolean isConnected() {
          return socket.isConnected();
        }

        @Override
        public void setTcpNoDelay(boolean on) throws java.net.SocketException {
          socket.setTcpNoDelay(on);
        }

        @Override
        public void setKeepAlive(boolean on) throws java.net.SocketException {
          socket.setKeepAlive(on);
        }

        @Override
        public synchronized void setSoTimeout(int timeout) throws java.net.SocketException {
          socket.setSoTimeout(timeout);
        }
      };
    }
  }
}
