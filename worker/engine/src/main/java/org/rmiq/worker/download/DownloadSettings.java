package org.rmiq.worker.download;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/**
 * How a worker downloads: where files go, how many downloads overlap, and the limits on each.
 *
 * @param folder where files are saved ({@code --download-dir}); created at the first download
 * @param concurrent downloads at once, independent of {@code --threads} ({@code --downloads})
 * @param timeout the longest a whole download may take, redirects and a slow body included ({@code
 *     --download-timeout})
 * @param maxBytes the largest body accepted, counted while streaming ({@code --max-bytes})
 * @param connectTimeout the longest a TCP (and TLS) connect may take
 * @param tls the trust for https, or null for the JDK's default (its CA certificates)
 * @param allowPrivateAddresses whether URLs may lead to loopback, private, link-local, CGNAT or
 *     multicast addresses ({@code --allow-private-addresses}); refused by default, so a URL list or
 *     a redirect cannot make workers fetch a school's internal services
 */
public record DownloadSettings(
    Path folder,
    int concurrent,
    Duration timeout,
    long maxBytes,
    Duration connectTimeout,
    SSLContext tls,
    boolean allowPrivateAddresses) {
  public static final int DEFAULT_CONCURRENT = 8;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final long DEFAULT_MAX_BYTES = 100L << 20;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Redirects followed at most, as the JDK's own client and browsers cap them. */
  public static final int MAX_REDIRECTS = 5;

  public DownloadSettings {
    Objects.requireNonNull(folder, "folder");
    if (concurrent < 1 || concurrent > 1024) {
      throw new IllegalArgumentException(
          SettingNames.of(Setting.DOWNLOADS) + ": must be 1..1024, was " + concurrent);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          SettingNames.of(Setting.DOWNLOAD_TIMEOUT) + ": the time must be positive");
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException(
          SettingNames.of(Setting.MAX_BYTES) + ": the limit must be at least 1 byte");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("the connect timeout must be positive");
    }
  }

  /** The defaults: {@code ./downloads}, 8 at once, 60 s, 100 MB, 10 s to connect. */
  public static DownloadSettings defaults() {
    return new DownloadSettings(
        Path.of("downloads"),
        DEFAULT_CONCURRENT,
        DEFAULT_TIMEOUT,
        DEFAULT_MAX_BYTES,
        DEFAULT_CONNECT_TIMEOUT,
        null,
        false);
  }

  public DownloadSettings withFolder(Path folder) {
    return new DownloadSettings(
        folder, concurrent, timeout, maxBytes, connectTimeout, tls, allowPrivateAddresses);
  }

  public DownloadSettings withConcurrent(int concurrent) {
    return new DownloadSettings(
        folder, concurrent, timeout, maxBytes, connectTimeout, tls, allowPrivateAddresses);
  }

  public DownloadSettings withTimeout(Duration timeout) {
    return new DownloadSettings(
        folder, concurrent, timeout, maxBytes, connectTimeout, tls, allowPrivateAddresses);
  }

  public DownloadSettings withMaxBytes(long maxBytes) {
    return new DownloadSettings(
        folder, concurrent, timeout, maxBytes, connectTimeout, tls, allowPrivateAddresses);
  }

  public DownloadSettings withConnectTimeout(Duration connectTimeout) {
    return new DownloadSettings(
        folder, concurrent, timeout, maxBytes, connectTimeout, tls, allowPrivateAddresses);
  }

  /** Allow (or refuse, the default) URLs that lead to internal addresses. */
  public DownloadSettings withAllowPrivateAddresses(boolean allowPrivateAddresses) {
    return new DownloadSettings(
        folder, concurrent, timeout, maxBytes, connectTimeout, tls, allowPrivateAddresses);
  }

  /** Trust the certificates of {@code tls} for https instead of the JDK's CA certificates. */
  public DownloadSettings withTls(SSLContext tls) {
    return new DownloadSettings(
        folder, concurrent, timeout, maxBytes, connectTimeout, tls, allowPrivateAddresses);
  }
}
