package org.rmiq.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.rmiq.api.BadInputException;
import org.rmiq.api.TaskHandler;
import org.rmiq.internal.wire.CodeChunk;
import org.rmiq.internal.wire.CodeOffer;
import org.rmiq.internal.wire.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code a master shipped to a worker that accepts code ({@code --accept-code}): jars fetched in
 * chunks over the authenticated link, checked against the SHA-256 the master announced, and each
 * loaded in a class loader of its own whose parent shows the task API and the JDK only, so shipped
 * code sees nothing of rmiq's insides. Loaded jars are kept by SHA-256 for the worker's lifetime,
 * so a later job with the same code fetches nothing.
 *
 * <p>A jar that cannot be fetched, does not match its SHA-256 or fails to load still gets an entry:
 * handlers for its announced kinds that fail every task with the reason, so the teacher sees why
 * instead of tasks waiting for ever.
 */
final class ShippedCode {
  private static final Logger log = LoggerFactory.getLogger(ShippedCode.class);

  /** The most shipped code a worker keeps, in bytes, whatever a master offers. */
  static final long MAX_TOTAL_BYTES = 256L << 20;

  /** Fetches a chunk of an offered jar from the master. */
  interface Source {
    CodeChunk chunk(String sha256, long offset) throws Exception;
  }

  /** The master could not be asked for the code this time; it is fetched again later. */
  static final class FetchFailed extends Exception {
    private static final long serialVersionUID = 1L;

    FetchFailed(Exception cause) {
      super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
    }
  }

  /** The loaded units, oldest first: by SHA-256, then by kind. Iterate while holding it. */
  private final Map<String, Map<String, TaskHandler>> units =
      java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

  /** Counts changes, so each session tells the master its new kinds once. */
  private final AtomicLong generation = new AtomicLong();

  private long totalBytes;
  private Path folder;

  /** The handler of {@code kind} in the jar {@code sha256}, or null. */
  TaskHandler handler(String sha256, String kind) {
    Map<String, TaskHandler> unit = units.get(sha256);
    return unit == null ? null : unit.get(kind);
  }

  /** The handler of {@code kind} in the jar loaded last that provides it, or null. */
  TaskHandler latest(String kind) {
    TaskHandler found = null;
    synchronized (units) {
      for (Map<String, TaskHandler> unit : units.values()) {
        TaskHandler handler = unit.get(kind);
        if (handler != null) {
          found = handler;
        }
      }
    }
    return found;
  }

  /** The kinds of every loaded jar. */
  Set<String> kinds() {
    Set<String> kinds = new TreeSet<>();
    synchronized (units) {
      units.values().forEach(unit -> kinds.addAll(unit.keySet()));
    }
    return kinds;
  }

  /** The SHA-256s of the loaded jars, sorted. */
  List<String> loaded() {
    synchronized (units) {
      return List.copyOf(new TreeSet<>(units.keySet()));
    }
  }

  /** Changes with every jar loaded. */
  long generation() {
    return generation.get();
  }

  /** The offers not loaded yet. */
  List<CodeOffer> missing(List<CodeOffer> offers) {
    return offers.stream().filter(o -> !units.containsKey(o.sha256())).toList();
  }

  /**
   * Fetches, checks and loads one offer. Never throws for what the master sent: a bad jar becomes
   * handlers that fail its tasks with the reason.
   *
   * @throws InterruptedException when the worker stops meanwhile
   */
  synchronized void load(CodeOffer offer, Source source) throws InterruptedException, FetchFailed {
    if (units.containsKey(offer.sha256())) {
      return;
    }
    log.info(
        "worker: the master offers code: {} ({} bytes, SHA-256 {}) for kind(s) {}; fetching it",
        offer.name(),
        offer.size(),
        offer.sha256(),
        String.join(", ", offer.kinds()));
    Map<String, TaskHandler> handlers;
    try {
      Path jar = fetch(offer, source);
      handlers = open(offer, jar);
      log.info(
          "worker: loaded {} (SHA-256 {}): kind(s) {}",
          offer.name(),
          offer.sha256(),
          String.join(", ", new TreeSet<>(handlers.keySet())));
    } catch (InterruptedException | FetchFailed e) {
      throw e;
    } catch (Exception | LinkageError e) {
      String why = "the shipped code " + offer.name() + " was refused: " + describe(e);
      log.error("worker: {}; its tasks fail on this worker", why);
      handlers = new HashMap<>();
      for (String kind : offer.kinds()) {
        handlers.put(kind, new Refused(kind, why));
      }
    }
    units.put(offer.sha256(), Map.copyOf(handlers));
    generation.incrementAndGet();
  }

  /** Fetches the jar into this worker's private code folder, checking size and SHA-256. */
  private Path fetch(CodeOffer offer, Source source) throws Exception {
    if (totalBytes + offer.size() > MAX_TOTAL_BYTES) {
      throw new IOException(
          "this worker keeps at most "
              + (MAX_TOTAL_BYTES >> 20)
              + " MiB of shipped code; restart it to start afresh");
    }
    Path jar = folder().resolve(offer.sha256() + ".jar");
    MessageDigest digest = sha256();
    long offset = 0;
    try (OutputStream out = Files.newOutputStream(jar)) {
      while (true) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        CodeChunk chunk;
        try {
          chunk = source.chunk(offer.sha256(), offset);
        } catch (Exception e) {
          throw new FetchFailed(e);
        }
        offset += chunk.data().length;
        if (offset > offer.size()) {
          throw new IOException(
              "the master sent more than the " + offer.size() + " bytes it announced");
        }
        digest.update(chunk.data());
        out.write(chunk.data());
        if (chunk.last()) {
          break;
        }
        if (chunk.data().length == 0) {
          throw new IOException("the master sent an empty chunk before the end");
        }
      }
    }
    jar.toFile().deleteOnExit();
    totalBytes += offset;
    String actual = HexFormat.of().formatHex(digest.digest());
    if (offset != offer.size() || !actual.equals(offer.sha256())) {
      throw new IOException(
          "its bytes (SHA-256 "
              + actual
              + ", "
              + offset
              + " bytes) differ from what the master announced (SHA-256 "
              + offer.sha256()
              + ", "
              + offer.size()
              + " bytes)");
    }
    return jar;
  }

  /** Loads the jar's handlers in a class loader whose parent is the task API alone. */
  private static Map<String, TaskHandler> open(CodeOffer offer, Path jar) throws IOException {
    URLClassLoader loader =
        new URLClassLoader(
            "rmiq-shipped-" + offer.name(), new URL[] {jar.toUri().toURL()}, ApiOnly.INSTANCE);
    Map<String, TaskHandler> handlers = new HashMap<>();
    try {
      for (TaskHandler handler : ServiceLoader.load(TaskHandler.class, loader)) {
        String kind = Task.checkKind(handler.kind());
        if (handlers.putIfAbsent(kind, handler) != null) {
          throw new IllegalArgumentException("two handlers in it claim kind '" + kind + "'");
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalArgumentException(
          "a handler could not be loaded: " + e.getMessage(), e.getCause() != null ? e : null);
    }
    if (handlers.isEmpty()) {
      throw new IllegalArgumentException(
          "it lists no task handler in META-INF/services/org.rmiq.api.TaskHandler");
    }
    return handlers;
  }

  private synchronized Path folder() throws IOException {
    if (folder == null) {
      folder = Files.createTempDirectory("rmiq-code-"); // owner-only on POSIX
      folder.toFile().deleteOnExit();
    }
    return folder;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause != e && cause.getMessage() != null) {
      message = message + " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /**
   * The parent of every shipped jar's loader: the JDK's platform classes and the task API ({@code
   * org.rmiq.api}), nothing else of the worker.
   */
  static final class ApiOnly extends ClassLoader {
    static final ApiOnly INSTANCE = new ApiOnly();

    static {
      registerAsParallelCapable();
    }

    private ApiOnly() {
      super("rmiq-api-only", ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("org.rmiq.api.")) {
        return Class.forName(name, false, TaskHandler.class.getClassLoader());
      }
      return super.loadClass(name, resolve);
    }
  }

  /** Stands in for the handlers of a jar that was refused: each task fails with the reason. */
  private record Refused(String kind, String why) implements TaskHandler {
    @Override
    public String execute(String input) throws BadInputException {
      throw new BadInputException(why);
    }
  }
}
