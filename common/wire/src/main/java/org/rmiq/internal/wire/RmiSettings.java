package org.rmiq.internal.wire;

/**
 * The JDK RMI settings rmiq relies on. The JDK reads them once, when its RMI classes load, so
 * {@link #apply} must run before the first RMI call in the JVM; masters, workers and both commands
 * call it first. Settings the user has given with {@code -D} are kept.
 */
public final class RmiSettings {
  private RmiSettings() {}

  public static void apply() {
    // Exported object ids are unguessable, so a peer cannot call an object it was not given.
    setIfAbsent("java.rmi.server.randomIDs", "true");
    // Never load classes from a peer-supplied codebase.
    setIfAbsent("java.rmi.server.useCodebaseOnly", "true");
    // Exceptions sent to peers carry no server stack traces.
    setIfAbsent("sun.rmi.server.suppressStackTraces", "true");
    // The registry only ever receives lookup names: allow strings and nothing else.
    setIfAbsent(
        "sun.rmi.registry.registryFilter",
        "maxdepth=2;maxrefs=4;maxbytes=1024;maxarray=0;java.lang.String;!*");
    // A JRMP handshake (after ours) that stalls is dropped quickly.
    setIfAbsent("sun.rmi.transport.tcp.handshakeTimeout", "10000");
    // An authenticated connection idle between calls for a minute is closed (the JDK waits two
    // hours): clients drop idle connections after 15 s anyway, and long polls last a second.
    setIfAbsent("sun.rmi.transport.tcp.readTimeout", "60000");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
