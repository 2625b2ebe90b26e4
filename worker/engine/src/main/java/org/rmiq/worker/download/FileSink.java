package org.rmiq.worker.download;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/**
 * Streams a response body into a file while counting and hashing it, and stops the transfer the
 * moment it passes the size cap, whatever {@code Content-Length} claimed.
 */
final class FileSink implements HttpResponse.BodySubscriber<FileSink.Body> {

  /** What was written: the byte count and its SHA-256 in lower-case hex. */
  record Body(long bytes, String sha256) {}

  /** The body is larger than the cap; another attempt would not help. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  private final Path file;
  private final long maxBytes;
  private final long declaredLength;
  private final CompletableFuture<Body> result = new CompletableFuture<>();
  private final AtomicLong received = new AtomicLong();
  private final Hasher digest = Hashing.sha256().newHasher();
  private FileChannel channel;
  private Flow.Subscription subscription;

  /**
   * @param declaredLength the response's Content-Length, or -1
   */
  FileSink(Path file, long maxBytes, long declaredLength) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.declaredLength = declaredLength;
  }

  /** Bytes received so far (for a timeout's message). */
  long received() {
    return received.get();
  }

  @Override
  public CompletionStage<Body> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (declaredLength > maxBytes) {
      fail(
          new TooLarge(
              "the server announced "
                  + declaredLength
                  + " bytes; the limit is "
                  + maxBytes
                  + " ("
                  + SettingNames.of(Setting.MAX_BYTES)
                  + ")"));
      return;
    }
    try {
      channel =
          FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      fail(e);
      return;
    }
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    try {
      for (ByteBuffer buffer : buffers) {
        long total = received.addAndGet(buffer.remaining());
        if (total > maxBytes) {
          throw new TooLarge(
              "the body passed the limit of "
                  + maxBytes
                  + " bytes ("
                  + SettingNames.of(Setting.MAX_BYTES)
                  + ")"
                  + " and the download was stopped");
        }
        digest.putBytes(buffer.duplicate());
        try {
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
        } catch (IOException e) {
          throw new IOException(
              "cannot save the download in " + file.getParent() + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      fail(e);
      return;
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable error) {
    closeChannel();
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    try {
      // No fsync: the atomic move already guarantees no half-written file is ever visible,
      // and syncing every download costs more than a short download takes.
      channel.close();
      result.complete(new Body(received.get(), digest.hash().toString()));
    } catch (IOException e) {
      result.completeExceptionally(e);
    }
  }

  private void fail(IOException error) {
    subscription.cancel();
    closeChannel();
    result.completeExceptionally(error);
  }

  private void closeChannel() {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // the failure being reported matters more
    }
  }
}
