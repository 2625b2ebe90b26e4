package org.rmiq.cli;

import java.lang.reflect.Proxy;

/**
 * Installs a handler for a POSIX signal (Ctrl-C's SIGINT), where the JVM allows it.
 *
 * <p>The JDK's only handler API is {@code sun.misc.Signal} in the {@code jdk.unsupported} module;
 * it is reached by reflection here (as JLine does) so the build's warnings-as-errors compile stays
 * clean, and a JVM without it simply keeps its default behaviour.
 */
public final class Signals {
  private Signals() {}

  /**
   * Calls {@code handler} on each arrival of {@code name} (e.g. {@code "INT"}) instead of the JVM's
   * default.
   *
   * @return false when this JVM or platform cannot handle that signal (nothing changed)
   */
  public static boolean handle(String name, Runnable handler) {
    return install(name, handler);
  }

  /**
   * Ignores {@code name} from now on (the JDK's {@code SignalHandler.SIG_IGN}), without the proxy
   * class {@link #handle} makes.
   *
   * @return false when this JVM or platform cannot (nothing changed)
   */
  public static boolean ignore(String name) {
    return install(name, null);
  }

  /** Installs {@code handler}, or SIG_IGN when it is null. */
  private static boolean install(String name, Runnable handler) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      Object installed =
          handler == null
              ? handlerClass.getField("SIG_IGN").get(null)
              : Proxy.newProxyInstance(
                  Signals.class.getClassLoader(),
                  new Class<?>[] {handlerClass},
                  (self, method, args) -> {
                    if (method.getName().equals("handle")) {
                      handler.run();
                    }
                    return null;
                  });
      signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, installed);
      return true;
    } catch (ReflectiveOperationException | LinkageError e) {
      return false; // no sun.misc.Signal, or (InvocationTargetException) the OS refused it
    }
  }
}
