package org.rmiq.worker.download;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.rmiq.api.BadInputException;
import org.rmiq.api.TaskAnswer;
import org.rmiq.api.TaskFailedException;
import org.rmiq.api.TaskHandler;
import org.rmiq.internal.util.SafeFileName;
import org.rmiq.util.Durations;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;
import org.rmiq.util.WebAddress;

/**
 * The {@code download} kind: fetches an http or https URL with the JDK's {@code HttpClient} into
 * the download folder, under a safe name derived from the URL.
 *
 * <p>Redirects are followed here, not by the client, so each hop is checked again (http or https
 * only, never from https to http, at most {@value DownloadSettings#MAX_REDIRECTS}). One deadline
 * bounds the whole download, including a server that trickles its body; the size cap is enforced
 * while streaming. The body goes to a hidden temporary file that is moved into place only when
 * complete, so a failed download leaves nothing behind.
 *
 * <p>A 4xx status (except 408 and 429), a bad URL or redirect, or a body over the cap fail the task
 * for good; 5xx, 408, 429, connection failures and timeouts are retried.
 */
public final class DownloadHandler implements TaskHandler {
  public static final String KIND = "download";
  private static final String TEMP_PREFIX = ".rmiq-download-";

  private final DownloadSettings settings;

  /**
   * Made at the first download: a client starts a selector thread, which a worker that never
   * downloads (or each of hundreds of sessions in one JVM) should not pay for.
   */
  private final Supplier<HttpClient> client;

  private final AddressPolicy addresses;

  /** The folder's real path once created; null until the first download. */
  private volatile Path folder;

  public DownloadHandler(DownloadSettings settings) {
    this.addresses = new AddressPolicy(settings.allowPrivateAddresses());
    this.settings = settings;
    this.client =
        Suppliers.memoize(
            () -> {
              HttpClient.Builder builder =
                  HttpClient.newBuilder()
                      .followRedirects(
                          HttpClient.Redirect.NEVER) // followed by hand, checking every hop
                      .connectTimeout(settings.connectTimeout());
              if (settings.tls() != null) {
                builder.sslContext(settings.tls());
              }
              return builder.build();
            });
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public int ownThreads() {
    return settings.concurrent();
  }

  /**
   * Allows downloads from these {@code host:port} pairs whatever their address: the master's own
   * {@code --serve}, which a classroom reaches on its private network.
   */
  public void allowServed(java.util.Collection<String> hostPorts) {
    addresses.allowServed(hostPorts);
  }

  @Override
  public String execute(String input) throws Exception {
    return answer(input).value();
  }

  @Override
  public TaskAnswer answer(String input) throws Exception {
    URI url;
    try {
      url = WebAddress.parse(input);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("'" + input + "': " + e.getMessage());
    }
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    Path dir = folder();
    Path temp = SafeFileName.createPartial(dir, TEMP_PREFIX);
    try {
      Fetched fetched = fetch(url, temp, deadline);
      Path target = SafeFileName.moveInto(temp, dir, SafeFileName.fromUrl(url));
      Map<String, String> details = new LinkedHashMap<>();
      details.put("bytes", Long.toString(fetched.body.bytes()));
      details.put("sha256", fetched.body.sha256());
      details.put("httpStatus", Integer.toString(fetched.status));
      details.put("contentType", fetched.contentType);
      details.put("finalUrl", fetched.url.toString());
      return new TaskAnswer(target.getFileName().toString(), details, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The last response of a download: its URL, status, content type and body. */
  private record Fetched(URI url, int status, String contentType, FileSink.Body body) {}

  /** Requests {@code url}, following redirects, until a final answer or the deadline. */
  private Fetched fetch(URI url, Path temp, long deadline) throws Exception {
    URI current = url;
    for (int redirects = 0; ; redirects++) {
      addresses.check(url, current);
      SinkChoice sinks = new SinkChoice(temp, settings.maxBytes());
      HttpRequest request =
          HttpRequest.newBuilder(current)
              .timeout(remaining(url, deadline, sinks))
              .header("User-Agent", "rmiq-worker")
              .version(
                  current.getScheme().equals("http")
                      ? HttpClient.Version.HTTP_1_1
                      : HttpClient.Version.HTTP_2)
              .GET()
              .build();
      HttpResponse<FileSink.Body> response =
          await(url, current, client.get().sendAsync(request, sinks), deadline, sinks);
      int status = response.statusCode();
      if (isRedirect(status)) {
        current = nextHop(url, current, response.headers(), redirects + 1);
        continue;
      }
      if (status >= 200 && status < 300) {
        return new Fetched(
            current,
            status,
            response.headers().firstValue("Content-Type").orElse(""),
            response.body());
      }
      String where = current.equals(url) ? "" : " (from " + current + ")";
      if (status >= 400 && status < 500 && status != 408 && status != 429) {
        throw new BadInputException(url + ": HTTP " + status + where + "; not retried");
      }
      throw new TaskFailedException(url + ": HTTP " + status + where);
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** Checks a redirect's target as if it were a new URL, and a few rules of its own. */
  private static URI nextHop(URI url, URI from, HttpHeaders headers, int hop)
      throws BadInputException {
    String location =
        headers
            .firstValue("Location")
            .orElseThrow(
                () ->
                    new BadInputException(
                        url + ": redirect from " + from + " has no Location header"));
    URI next;
    try {
      next = WebAddress.check(from.resolve(location.strip()));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(
          url + ": redirect from " + from + " to '" + location + "' refused: " + e.getMessage());
    }
    if (from.getScheme().equals("https") && next.getScheme().equals("http")) {
      throw new BadInputException(
          url
              + ": redirect from https to http refused ("
              + from
              + " to "
              + next
              + "): it would drop encryption");
    }
    if (hop > DownloadSettings.MAX_REDIRECTS) {
      throw new BadInputException(
          url
              + ": more than "
              + DownloadSettings.MAX_REDIRECTS
              + " redirects (a redirect loop?); the last went from "
              + from
              + " to "
              + next);
    }
    return next;
  }

  /** Waits for the response within the deadline; cancels the exchange on timeout or interrupt. */
  private HttpResponse<FileSink.Body> await(
      URI url,
      URI current,
      CompletableFuture<HttpResponse<FileSink.Body>> exchange,
      long deadline,
      SinkChoice sinks)
      throws Exception {
    try {
      return exchange.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw timedOut(url, sinks);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw explain(url, current, e.getCause(), sinks);
    }
  }

  private Duration remaining(URI url, long deadline, SinkChoice sinks) throws TaskFailedException {
    long nanos = deadline - System.nanoTime();
    if (nanos <= 0) {
      throw timedOut(url, sinks);
    }
    return Duration.ofNanos(nanos);
  }

  private TaskFailedException timedOut(URI url, SinkChoice sinks) {
    return new TaskFailedException(
        url
            + ": not finished within "
            + Durations.format(settings.timeout())
            + " ("
            + SettingNames.of(Setting.DOWNLOAD_TIMEOUT)
            + "); "
            + sinks.received()
            + " bytes received");
  }

  /** Turns the client's exceptions into a final or retryable failure naming the cause. */
  private Exception explain(URI url, URI current, Throwable cause, SinkChoice sinks) {
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String at = current.getHost() + ":" + port(current);
    if (cause instanceof FileSink.TooLarge) {
      return new BadInputException(url + ": " + cause.getMessage());
    }
    String why;
    if (cause instanceof HttpConnectTimeoutException) {
      why = "could not connect to " + at + " within " + Durations.format(settings.connectTimeout());
    } else if (cause instanceof HttpTimeoutException) {
      why =
          "no answer within "
              + Durations.format(settings.timeout())
              + " ("
              + SettingNames.of(Setting.DOWNLOAD_TIMEOUT)
              + ")";
    } else if (cause instanceof ConnectException || hasCause(cause, ConnectException.class)) {
      why = "connection refused by " + at + " (is the server running on that port?)";
    } else if (hasCause(cause, UnresolvedAddressException.class)
        || hasCause(cause, UnknownHostException.class)) {
      why = "unknown host " + current.getHost() + " (check the name, or this machine's DNS)";
    } else if (cause instanceof SSLException) {
      why = "TLS with " + at + " failed: " + cause.getMessage();
    } else if (cause instanceof IOException) {
      why =
          "the connection to "
              + at
              + " failed after "
              + sinks.received()
              + " bytes: "
              + (cause.getMessage() == null
                  ? cause.getClass().getSimpleName()
                  : cause.getMessage());
    } else {
      why = cause.toString();
    }
    return new TaskFailedException(url + ": " + why, cause);
  }

  private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
  }

  /** The download folder's real path, created at the first download. */
  private Path folder() throws TaskFailedException {
    Path known = folder;
    if (known != null) {
      return known;
    }
    try {
      Files.createDirectories(settings.folder());
      Path real = settings.folder().toRealPath();
      folder = real;
      return real;
    } catch (IOException e) {
      throw new TaskFailedException(
          "the download folder ("
              + SettingNames.of(Setting.DOWNLOAD_DIR)
              + ") "
              + settings.folder()
              + " cannot be"
              + " created on this worker ("
              + e
              + "); give a folder it can write",
          e);
    }
  }

  /**
   * The body handler: a {@link FileSink} for a 2xx answer, a discarding one otherwise (an error
   * page or a redirect's body is not wanted), remembering the sink for timeout messages.
   */
  private static final class SinkChoice implements HttpResponse.BodyHandler<FileSink.Body> {
    private final Path temp;
    private final long maxBytes;
    private volatile FileSink sink;

    SinkChoice(Path temp, long maxBytes) {
      this.temp = temp;
      this.maxBytes = maxBytes;
    }

    @Override
    public HttpResponse.BodySubscriber<FileSink.Body> apply(HttpResponse.ResponseInfo info) {
      if (info.statusCode() < 200 || info.statusCode() >= 300) {
        return new Unread();
      }
      long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
      FileSink created = new FileSink(temp, maxBytes, declared);
      sink = created;
      return created;
    }

    long received() {
      FileSink current = sink;
      return current == null ? 0 : current.received();
    }
  }

  /**
   * Does not read a body at all (a redirect's or an error page): cancelling at once closes the
   * connection, so a server cannot hold the download with an endless error page.
   */
  private static final class Unread implements HttpResponse.BodySubscriber<FileSink.Body> {
    private final CompletableFuture<FileSink.Body> done = new CompletableFuture<>();

    @Override
    public CompletableFuture<FileSink.Body> getBody() {
      return done;
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
      subscription.cancel();
      done.complete(null);
    }

    @Override
    public void onNext(java.util.List<java.nio.ByteBuffer> item) {}

    @Override
    public void onError(Throwable throwable) {
      done.complete(null);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }
  }
}
