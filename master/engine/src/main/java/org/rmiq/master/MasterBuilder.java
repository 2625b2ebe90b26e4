package org.rmiq.master;

import com.google.common.base.Ticker;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.rmiq.internal.transport.ClientProfile;
import org.rmiq.net.HostPort;
import org.rmiq.net.TeacherKey;
import org.rmiq.net.Token;
import org.rmiq.util.Durations;

/**
 * A master's settings ({@link Master#builder}); {@link #token} is required, the rest have defaults.
 */
public final class MasterBuilder {
  private int port = 5000;
  private Token token;
  private InetAddress bindAddress;
  private Duration lease = Duration.ofSeconds(10);
  private Duration heartbeat = Duration.ofSeconds(1);
  private Duration handshakeDeadline = ClientProfile.DEFAULT_HANDSHAKE_DEADLINE;
  private int maxAttempts = 3;
  private Duration retryBackoff = Duration.ofMillis(500);
  private Duration taskTimeout = Duration.ZERO;
  private TeacherKey teacherKey;
  private String workerDownload;
  private Ticker ticker = Ticker.systemTicker();
  private Path journal;
  private boolean insecurePlaintext;
  private Path collectFolder;
  private long collectMaxBytes = 100L << 20;
  private long collectMaxTotal;
  private List<String> servedHosts = List.of();

  MasterBuilder() {}

  /**
   * Leave connections unencrypted after the handshake (for measurements only; the default is TLS
   * 1.3 with a certificate made at start and bound to the token by the PAKE).
   */
  public MasterBuilder insecurePlaintext(boolean insecurePlaintext) {
    this.insecurePlaintext = insecurePlaintext;
    return this;
  }

  /**
   * Collect the files tasks produce (downloads) in {@code folder}, created if missing: each at most
   * {@code maxBytes}, all together at most {@code maxTotal} (0: half the free disk). Default:
   * collect none.
   */
  public MasterBuilder collect(Path folder, long maxBytes, long maxTotal) {
    if (maxBytes < 1 || maxTotal < 0) {
      throw new IllegalArgumentException("collected files need a size limit of at least 1 byte");
    }
    this.collectFolder = folder;
    this.collectMaxBytes = maxBytes;
    this.collectMaxTotal = maxTotal;
    return this;
  }

  /** Record jobs in this SQLite file and resume from it after a restart. Default none. */
  public MasterBuilder journal(Path journal) {
    this.journal = journal;
    return this;
  }

  /** The port for the registry and the service; 0 picks a free one. Default 5000. */
  public MasterBuilder port(int port) {
    this.port = HostPort.checkPort(port, "the port");
    return this;
  }

  public MasterBuilder token(Token token) {
    this.token = Objects.requireNonNull(token);
    return this;
  }

  /**
   * Where this master's own worker can be downloaded (its join page's jar URL), which a worker of
   * another rmiq version is told. Default: none.
   */
  public MasterBuilder workerDownload(String url) {
    this.workerDownload = url;
    return this;
  }

  /**
   * The teacher's key: connections that prove it may submit and cancel jobs (a session master), and
   * the code this master offers is signed with it. Default none: only the master's own code runs
   * jobs, and its offers are unsigned.
   */
  public MasterBuilder teacherKey(TeacherKey key) {
    this.teacherKey = key;
    return this;
  }

  /** Listen only on this address; default every interface. */
  public MasterBuilder bindAddress(InetAddress bindAddress) {
    this.bindAddress = bindAddress;
    return this;
  }

  /** How long a worker may be silent before its tasks are re-queued. Default 10 s. */
  public MasterBuilder lease(Duration lease) {
    this.lease = lease;
    return this;
  }

  /** How often workers call in at least. Default 1 s; at most half the lease. */
  public MasterBuilder heartbeat(Duration heartbeat) {
    this.heartbeat = heartbeat;
    return this;
  }

  /** Attempts per task for {@link Master#submit(String, java.util.List)}'s tasks. Default 3. */
  public MasterBuilder maxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
    return this;
  }

  /** The wait before a failed task's first retry; it doubles with each attempt. Default 0.5 s. */
  public MasterBuilder retryBackoff(Duration retryBackoff) {
    this.retryBackoff = retryBackoff;
    return this;
  }

  /** How long one attempt of {@link Master#submit}'s tasks may run; zero (default): no limit. */
  public MasterBuilder taskTimeout(Duration taskTimeout) {
    this.taskTimeout = taskTimeout;
    return this;
  }

  /** How long a connecting peer may take to prove it knows the token. Default 5 s. */
  public MasterBuilder handshakeDeadline(Duration deadline) {
    this.handshakeDeadline = deadline;
    return this;
  }

  /** Hosts of this master's own download folder, which workers may fetch from. */
  public MasterBuilder servedHosts(List<String> hosts) {
    this.servedHosts = List.copyOf(hosts);
    return this;
  }

  MasterBuilder ticker(Ticker ticker) {
    this.ticker = ticker;
    return this;
  }

  public Master build() {
    if (token == null) {
      throw new IllegalStateException("a master needs a token: call token(...)");
    }
    if (heartbeat.multipliedBy(2).compareTo(lease) > 0) {
      throw new IllegalArgumentException(
          "the heartbeat ("
              + Durations.format(heartbeat)
              + ") must be at most half the lease ("
              + Durations.format(lease)
              + ")");
    }
    return new Master(
        new MasterConfig(
            port,
            token,
            bindAddress,
            lease,
            heartbeat,
            handshakeDeadline,
            maxAttempts,
            retryBackoff,
            taskTimeout,
            teacherKey,
            workerDownload,
            ticker,
            journal,
            insecurePlaintext,
            collectFolder,
            collectMaxBytes,
            collectMaxTotal,
            servedHosts));
  }
}
