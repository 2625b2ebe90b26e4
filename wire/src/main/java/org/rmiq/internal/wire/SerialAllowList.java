package org.rmiq.internal.wire;

import com.google.common.collect.ImmutableSet;
import com.google.common.util.concurrent.RateLimiter;
import java.io.ObjectInputFilter;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allow-list every object stream in rmiq reads through (JEP 290): only rmiq's records and the
 * few JDK types they are made of, within depth, reference, size and array limits. It is complete in
 * itself (anything not allowed is rejected), because a stream's own filter replaces the JVM-wide
 * one.
 *
 * <p>{@link #forMaster()} guards the master's exported objects: what workers send. {@link
 * #forWorker()} also admits what a master legitimately sends back: the service stub and the
 * exceptions RMI reports; it is installed JVM-wide by the worker command.
 */
public final class SerialAllowList implements ObjectInputFilter {
  private static final Logger log = LoggerFactory.getLogger(SerialAllowList.class);
  private static final RateLimiter rejectionLogLimit = RateLimiter.create(1.0);

  static final long MAX_DEPTH = 12;
  static final long MAX_REFS = 200_000;
  static final long MAX_BYTES = 256L << 20;
  static final long MAX_ARRAY = 1 << 20;

  /** The classes that make up rmiq's wire records. */
  private static final Set<Class<?>> RECORDS =
      ImmutableSet.of(
          Task.class,
          TaskResult.class,
          JoinRequest.class,
          JoinReply.class,
          TakeRequest.class,
          TaskBatch.class,
          ResultBatch.class,
          ReportReply.class,
          MasterPhase.class,
          StatusReport.class,
          StatusReport.WorkerStatus.class,
          StatusReport.RecentResult.class,
          StatusReport.BlockedPeer.class,
          String.class,
          Long.class,
          Integer.class,
          Number.class,
          Enum.class,
          Object[].class,
          Double.class,
          FileChunk.class,
          byte[].class,
          collSer(),
          // Since JDK 17 the filter also checks what readResolve returns: CollSer's immutable
          // lists.
          List.of().getClass(),
          List.of(1).getClass(),
          List.of(1, 2, 3).getClass(),
          Map.of().getClass(),
          Map.of(1, 1).getClass(),
          Map.of(1, 1, 2, 2).getClass());

  private final Set<Class<?>> allowed;
  private final boolean allowJdkThrowables;
  private final boolean allowRmiStubs;

  private SerialAllowList(Set<Class<?>> allowed, boolean throwables, boolean stubs) {
    this.allowed = allowed;
    this.allowJdkThrowables = throwables;
    this.allowRmiStubs = stubs;
  }

  /** The filter for objects arriving at the master: records only. */
  public static SerialAllowList forMaster() {
    return new SerialAllowList(RECORDS, false, false);
  }

  /** The filter for objects arriving at a worker: records, the master's stub, RMI's errors. */
  public static SerialAllowList forWorker() {
    Set<Class<?>> set =
        ImmutableSet.<Class<?>>builder()
            .addAll(RECORDS)
            .add(StackTraceElement.class, StackTraceElement[].class, Throwable.class)
            .add(UnknownSessionException.class)
            .add(
                java.rmi.server.RemoteObject.class,
                java.rmi.server.RemoteObjectInvocationHandler.class)
            .add(
                Proxy.class,
                MasterService.class,
                java.rmi.Remote.class,
                java.rmi.registry.Registry.class)
            .add(emptyListClass(), java.util.ArrayList.class)
            .build();
    return new SerialAllowList(set, true, true);
  }

  @Override
  public Status checkInput(FilterInfo info) {
    if (info.depth() > MAX_DEPTH
        || info.references() > MAX_REFS
        || info.streamBytes() > MAX_BYTES
        || info.arrayLength() > MAX_ARRAY) {
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
    if (type == null || isAllowed(type)) {
      return type == null ? Status.UNDECIDED : Status.ALLOWED;
    }
    return reject("class " + type.getName() + " is not on rmiq's allow-list");
  }

  private boolean isAllowed(Class<?> type) {
    if (allowed.contains(type)) {
      return true;
    }
    if (type.isArray()
        && (type.getComponentType().isPrimitive() || allowed.contains(type.getComponentType()))) {
      return true;
    }
    if (allowRmiStubs && isRmiStubPart(type)) {
      return true;
    }
    return allowJdkThrowables
        && Throwable.class.isAssignableFrom(type)
        && type.getName().startsWith("java.");
  }

  private boolean isRmiStubPart(Class<?> type) {
    if (Proxy.isProxyClass(type)) {
      return Arrays.stream(type.getInterfaces()).allMatch(allowed::contains);
    }
    String name = type.getName();
    return name.equals("sun.rmi.server.UnicastRef")
        || name.equals("sun.rmi.server.UnicastRef2")
        || type == org.rmiq.internal.transport.MasterClientSocketFactory.class;
  }

  private static Status reject(String why) {
    if (rejectionLogLimit.tryAcquire()) {
      log.warn("serial filter: refused an object from a peer: {}", why);
    }
    return Status.REJECTED;
  }

  /** The serial proxy of {@code List.of}/{@code List.copyOf}, which records carry. */
  private static Class<?> collSer() {
    try {
      return Class.forName("java.util.CollSer");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("this JDK has no java.util.CollSer", e);
    }
  }

  private static Class<?> emptyListClass() {
    return java.util.Collections.emptyList().getClass();
  }
}
