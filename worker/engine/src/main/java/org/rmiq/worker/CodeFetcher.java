package org.rmiq.worker;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rmiq.internal.wire.CodeOffer;
import org.rmiq.internal.wire.CodeRequest;
import org.rmiq.internal.wire.MasterService;
import org.rmiq.net.HostPort;
import org.rmiq.util.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the code a master offers, on a thread of its own so the link keeps exchanging while a jar
 * arrives, and knows which code version the workers can tell the master they have. Used by the
 * link's one thread only (the loading thread reports through a volatile and a wake-up).
 */
final class CodeFetcher {
  private static final Logger log = LoggerFactory.getLogger(CodeFetcher.class);

  private final CodeTrust trust;
  private final ShippedCode shipped;
  private final HostPort master;
  private final Runnable wake;

  /** The version of the master's offers this link has all of (or declined, not accepting code). */
  private long version;

  private volatile long loadedVersion = -1;
  private Future<?> loading;
  private ExecutorService thread;

  CodeFetcher(CodeTrust trust, ShippedCode shipped, HostPort master, Runnable wake) {
    this.trust = trust;
    this.shipped = shipped;
    this.master = master;
    this.wake = wake;
  }

  /** The code version to tell the master. */
  long version() {
    return version;
  }

  /** A new master run or a new link: nothing is known to be loaded. */
  void reset() {
    version = 0;
  }

  /** Takes the result of a finished load. */
  void harvest() {
    if (loading != null && loading.isDone()) {
      loading = null;
      if (loadedVersion >= 0) {
        version = loadedVersion;
      }
    }
  }

  /** The master offers {@code offers} as {@code offeredVersion}: fetches what is missing. */
  void offered(long offeredVersion, List<CodeOffer> offers, MasterService stub, String link) {
    if (!trust.accepts()) {
      // never fetched; the master names the setting where the teacher looks
      version = offeredVersion;
      return;
    }
    if (loading != null) {
      return; // one load at a time; the offers come again until it ends
    }
    List<CodeOffer> missing = shipped.missing(offers);
    if (missing.isEmpty()) {
      version = offeredVersion;
      return;
    }
    loadedVersion = -1;
    loading = thread().submit(() -> load(missing, offeredVersion, stub, link));
  }

  private Void load(List<CodeOffer> missing, long offeredVersion, MasterService stub, String link) {
    try {
      for (CodeOffer offer : missing) {
        shipped.load(offer, (sha, offset) -> stub.fetchCode(new CodeRequest(link, sha, offset)));
      }
      loadedVersion = offeredVersion;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ShippedCode.FetchFailed e) {
      log.warn(
          "worker: could not fetch code from the master at {} ({}); trying again",
          master,
          e.getMessage());
    } finally {
      wake.run();
    }
    return null;
  }

  private ExecutorService thread() {
    if (thread == null) {
      thread = Executors.newSingleThreadExecutor(DaemonThreads.numbered("rmiq-worker-code-"));
    }
    return thread;
  }

  /** The link closed: a load under way stops. */
  void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
