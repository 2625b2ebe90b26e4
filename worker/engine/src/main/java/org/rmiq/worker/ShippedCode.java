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
import org.rmiq.net.TeacherKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code a master shipped to a worker that accepts code: jars checked against the worker's {@link
 * CodeTrust} (signed by the teacher key it pinned) before a byte is fetched, fetched in chunks over
 * the authenticated link, checked against the SHA-256 the master announced, and loaded only when
 * the first task of their kind arrives, each in a class loader of its own whose parent shows the
 * task API and the JDK only, so shipped code sees nothing of rmiq's insides and runs no static
 * initializer before it is asked to. A jar may provide only the kinds it was signed for, and never
 * a built-in kind (nor, through {@link Handlers}, a kind the worker runs with its own code). Jars
 * are kept by SHA-256 while the worker stays with one master run, so a later job with the same code
 * fetches nothing; a new link drops them all.
 *
 * <p>A jar that the trust refuses is remembered and never fetched: its kinds are not announced, so
 * its tasks go to other workers. A jar that cannot be fetched, does not match its SHA-256 or fails
 * to load gets handlers for its kinds that fail every task with the reason, so the teacher sees why
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

  /** A fetched jar: its offer, its file, and its handlers once a task asked for them. */
  private static final class Unit {
    final CodeOffer offer;
    final Path jar;
    Map<String, TaskHandler> handlers; // guarded by the unit

    Unit(CodeOffer offer, Path jar, Map<String, TaskHandler> handlers) {
      this.offer = offer;
      this.jar = jar;
      this.handlers = handlers;
    }
  }

  private final CodeTrust trust;

  /** The fetched units, oldest first, by SHA-256. Iterate while holding it. */
  private final Map<String, Unit> units =
      java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

  /** The SHA-256s of offers the trust refused, so they are neither fetched nor logged twice. */
  private final Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();

  ShippedCode(CodeTrust trust) {
    this.trust = trust;
  }

  /** Counts changes, so each session tells the master its new kinds once. */
  private final AtomicLong generation = new AtomicLong();

  private long totalBytes;
  private Path folder;

  /**
   * The handler of {@code kind} in the jar {@code sha256}, loading the jar now if this is its first
   * task; null when the worker has no such jar.
   */
  TaskHandler handler(String sha256, String kind) {
    Unit unit = units.get(sha256);
    if (unit == null) {
      return null;
    }
    synchronized (unit) {
      if (unit.handlers == null) {
        unit.handlers = openOrRefuse(unit.offer, unit.jar);
      }
      return unit.handlers.get(kind);
    }
  }

  /** The kinds of every fetched jar, as their offers name them. */
  Set<String> kinds() {
    Set<String> kinds = new TreeSet<>();
    synchronized (units) {
      units.values().forEach(unit -> kinds.addAll(unit.offer.kinds()));
    }
    return kinds;
  }

  /** Forgets every jar (the worker joined a new link: it fetches and checks them again). */
  void clear() {
    synchronized (units) {
      if (units.isEmpty() && refused.isEmpty()) {
        return;
      }
      units.clear();
    }
    refused.clear();
    generation.incrementAndGet();
  }

  /** The SHA-256s of the fetched jars, sorted. */
  List<String> loaded() {
    synchronized (units) {
      return List.copyOf(new TreeSet<>(units.keySet()));
    }
  }

  /** Changes with every jar loaded. */
  long generation() {
    return generation.get();
  }

  /** The offers neither fetched nor refused yet. */
  List<CodeOffer> missing(List<CodeOffer> offers) {
    return offers.stream()
        .filter(o -> !units.containsKey(o.sha256()) && !refused.contains(o.sha256()))
        .toList();
  }

  /**
   * Fetches, checks and loads one offer. Never throws for what the master sent: a bad jar becomes
   * handlers that fail its tasks with the reason.
   *
   * @throws InterruptedException when the worker stops meanwhile
   */
  synchronized void load(CodeOffer offer, Source source) throws InterruptedException, FetchFailed {
    if (units.containsKey(offer.sha256()) || refused.contains(offer.sha256())) {
      return;
    }
    String why = trust.refusal(offer.publicKey(), offer.signed(), offer.signature());
    if (why == null) {
      why = ownKind(offer);
    }
    if (why != null) {
      refused.add(offer.sha256());
      log.warn(
          "worker: refused the code {} (SHA-256 {}) for kind(s) {} that the master offers: {};"
              + " its tasks go to other workers",
          offer.name(),
          offer.sha256(),
          String.join(", ", offer.kinds()),
          why);
      return;
    }
    log.info(
        "worker: the master offers code: {} ({} bytes, SHA-256 {}{}) for kind(s) {}; fetching it",
        offer.name(),
        offer.size(),
        offer.sha256(),
        offer.isSigned() ? ", signed by " + TeacherKey.fingerprintOf(offer.publicKey()) : "",
        String.join(", ", offer.kinds()));
    Unit unit;
    try {
      unit = new Unit(offer, fetch(offer, source), null); // loaded at its first task
    } catch (InterruptedException | FetchFailed e) {
      throw e;
    } catch (Exception e) {
      String failed = "the shipped code " + offer.name() + " was refused: " + describe(e);
      log.error("worker: {}; its tasks fail on this worker", failed);
      unit = new Unit(offer, null, refusedHandlers(offer, failed));
    }
    units.put(offer.sha256(), unit);
    generation.incrementAndGet();
  }

  /** Why an offer may not run here because it names a built-in kind, or null. */
  private static String ownKind(CodeOffer offer) {
    for (String kind : offer.kinds()) {
      if (Task.BUILT_IN_KINDS.contains(kind)) {
        return "it provides the kind '" + kind + "', which this worker runs with its own code";
      }
    }
    return null;
  }

  /** Loads a fetched jar's handlers; a jar that fails becomes handlers that fail its tasks. */
  private Map<String, TaskHandler> openOrRefuse(CodeOffer offer, Path jar) {
    try {
      Map<String, TaskHandler> handlers = open(offer, jar);
      log.info(
          "worker: loaded {} (SHA-256 {}): kind(s) {}",
          offer.name(),
          offer.sha256(),
          String.join(", ", new TreeSet<>(handlers.keySet())));
      return Map.copyOf(handlers);
    } catch (Exception | LinkageError e) {
      String why = "the shipped code " + offer.name() + " was refused: " + describe(e);
      log.error("worker: {}; its tasks fail on this worker", why);
      return refusedHandlers(offer, why);
    }
  }

  private static Map<String, TaskHandler> refusedHandlers(CodeOffer offer, String why) {
    Map<String, TaskHandler> handlers = new HashMap<>();
    for (String kind : offer.kinds()) {
      handlers.put(kind, new Refused(kind, why));
    }
    return Map.copyOf(handlers);
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
        if (!offer.kinds().contains(kind)) {
          throw new IllegalArgumentException(
              "it provides the kind '" + kind + "', which it was not offered (and signed) for");
        }
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
