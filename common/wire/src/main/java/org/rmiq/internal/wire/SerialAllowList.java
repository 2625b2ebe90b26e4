package org.rmiq.internal.wire;

import com.google.common.collect.ImmutableSet;
import com.google.common.util.concurrent.RateLimiter;
import java.io.ObjectInputFilter;
import java.lang.reflect.Proxy;
import java.rmi.Remote;
import java.rmi.registry.Registry;
import java.rmi.server.RemoteObject;
import java.rmi.server.RemoteObjectInvocationHandler;
import java.util.Arrays;
import java.util.Set;
import org.rmiq.internal.transport.MasterClientSocketFactory;
import org.rmiq.report.StatusReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allow-list every object stream in rmiq reads through (JEP 290). Every wire record travels
 * packed ({@link Packed}: a type number and a byte array), so the master accepts nothing but that,
 * byte arrays and strings, within a few references and a bounded array; the records a packed form
 * turns into (JDK 17 checks what {@code readResolve} returns) are listed too. No collection is ever
 * deserialized. The list is complete in itself (anything not allowed is rejected), because a
 * stream's own filter replaces the JVM-wide one.
 *
 * <p>{@link #forMaster()} guards the master's exported objects: what workers and submitters send.
 * {@link #forWorker()} also admits what a master sends back: the service stub and the exceptions
 * RMI reports; the worker, status and submit commands install it JVM-wide.
 */
public final class SerialAllowList implements ObjectInputFilter {
  private static final Logger log = LoggerFactory.getLogger(SerialAllowList.class);
  private static final RateLimiter rejectionLogLimit = RateLimiter.create(1.0);

  /** What workers and submitters send the master. */
  private static final Set<Class<?>> TO_MASTER =
      ImmutableSet.of(
          Packed.class,
          byte[][].class,
          byte[].class,
          String.class,
          LinkRequest.class,
          SessionRequest.class,
          ExchangeRequest.class,
          Leave.class,
          FileChunk.class,
          CodeRequest.class,
          JobRequest.class,
          JobPoll.class);

  /** What the master sends back. */
  private static final Set<Class<?>> FROM_MASTER =
      ImmutableSet.of(
          Packed.class,
          byte[][].class,
          byte[].class,
          String.class,
          LinkReply.class,
          SessionReply.class,
          ExchangeReply.class,
          UploadReply.class,
          CodeChunk.class,
          StatusReport.class,
          JobReceipt.class,
          JobEvents.class,
          CommandReply.class);

  private final Limits limits;
  private final Set<Class<?>> allowed;
  private final boolean fromMaster;

  /** Depth, references, stream bytes and array length a stream may reach. */
  record Limits(long depth, long refs, long bytes, long array) {}

  static final Limits MASTER_LIMITS = new Limits(4, 64, 8L << 20, 4L << 20);
  static final Limits WORKER_LIMITS = new Limits(16, 20_000, 48L << 20, 40L << 20);

  private SerialAllowList(Limits limits, Set<Class<?>> allowed, boolean fromMaster) {
    this.limits = limits;
    this.allowed = allowed;
    this.fromMaster = fromMaster;
  }

  /** The filter for objects arriving at the master: packed records only. */
  public static SerialAllowList forMaster() {
    return new SerialAllowList(MASTER_LIMITS, TO_MASTER, false);
  }

  /** The filter for objects arriving from a master: its replies, its stub, RMI's errors. */
  public static SerialAllowList forWorker() {
    Set<Class<?>> set =
        ImmutableSet.<Class<?>>builder()
            .addAll(FROM_MASTER)
            .add(StackTraceElement.class, StackTraceElement[].class, Throwable.class)
            // a Throwable's list of suppressed exceptions (an empty list, or an ArrayList, which
            // hashes nothing); only the master, which passed the handshake, sends exceptions
            .add(java.util.Collections.emptyList().getClass(), java.util.ArrayList.class)
            .add(UnknownLinkException.class, MasterBusyException.class)
            .add(RemoteObject.class, RemoteObjectInvocationHandler.class)
            .add(Proxy.class, MasterService.class, Remote.class, Registry.class)
            .add(MasterClientSocketFactory.class)
            .build();
    return new SerialAllowList(WORKER_LIMITS, set, true);
  }

  @Override
  public Status checkInput(FilterInfo info) {
    if (info.depth() > limits.depth()
        || info.references() > limits.refs()
        || info.streamBytes() > limits.bytes()
        || info.arrayLength() > limits.array()) {
      return reject(
          "limits exceeded: depth "
              + info.depth()
              + ", refs "
              + info.references()
              + ", bytes "
              + info.streamBytes()
              + ", array "
              + info.arrayLength());
    }
    Class<?> type = info.serialClass();
    if (type == byte[].class && info.arrayLength() > Packed.CHUNK) {
      return reject(
          "a byte array of " + info.arrayLength() + " (chunks hold at most " + Packed.CHUNK + ")");
    }
    if (type == byte[][].class && info.arrayLength() > limits.bytes() / Packed.CHUNK + 1) {
      return reject("a record of " + info.arrayLength() + " chunks");
    }
    if (type == null) {
      return Status.UNDECIDED;
    }
    if (isAllowed(type)) {
      return Status.ALLOWED;
    }
    return reject("class " + type.getName() + " is not on rmiq's allow-list");
  }

  private boolean isAllowed(Class<?> type) {
    if (allowed.contains(type)) {
      return true;
    }
    if (!fromMaster) {
      return false;
    }
    if (type.isArray() && allowed.contains(type.getComponentType())) {
      return true;
    }
    if (Proxy.isProxyClass(type)) {
      return Arrays.stream(type.getInterfaces()).allMatch(allowed::contains);
    }
    String name = type.getName();
    if (name.equals("sun.rmi.server.UnicastRef") || name.equals("sun.rmi.server.UnicastRef2")) {
      return true; // the reference inside the master's stub
    }
    return Throwable.class.isAssignableFrom(type) && name.startsWith("java.");
  }

  private static Status reject(String why) {
    if (rejectionLogLimit.tryAcquire()) {
      log.warn("serial filter: refused an object from a peer: {}", why);
    }
    return Status.REJECTED;
  }
}
