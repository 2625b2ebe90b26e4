package org.rmiq.cli.master.job;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.rmiq.api.TaskHandler;
import org.rmiq.api.TaskKinds;

/**
 * The master's {@code --plugins DIR}: each jar in DIR is offered to workers that accept code, with
 * the kinds its handlers provide. Finding the kinds loads the teacher's own jars here (each in a
 * class loader that sees only the task API, as workers load them).
 */
public final class PluginOffers {
  private PluginOffers() {}

  /** A jar to offer. */
  public record Plugin(String name, byte[] jar, List<String> kinds) {}

  /**
   * The plugin jars in {@code folder}, each with the kinds its handlers provide.
   *
   * @throws IllegalArgumentException naming the folder or jar and what is wrong
   */
  public static List<Plugin> read(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          "--plugins " + folder + " is not a folder; create it and put plugin jars in it");
    }
    List<Plugin> plugins = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        plugins.add(new Plugin(jar.getFileName().toString(), Files.readAllBytes(jar), kinds(jar)));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--plugins " + folder + " cannot be read: " + e, e);
    }
    if (plugins.isEmpty()) {
      throw new IllegalArgumentException("--plugins " + folder + " holds no .jar file");
    }
    return plugins;
  }

  private static List<String> kinds(Path jar) throws IOException {
    List<String> kinds = new ArrayList<>();
    try (URLClassLoader loader =
        new URLClassLoader(
            "rmiq-plugin-" + jar.getFileName(), new URL[] {jar.toUri().toURL()}, apiOnly())) {
      for (TaskHandler handler : ServiceLoader.load(TaskHandler.class, loader)) {
        kinds.add(TaskKinds.check(handler.kind()));
      }
    } catch (ServiceConfigurationError | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--plugins: " + jar + ": a task handler could not be loaded: " + e.getMessage(), e);
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException(
          "--plugins: "
              + jar
              + " lists no task handler in META-INF/services/org.rmiq.api.TaskHandler");
    }
    return kinds;
  }

  /** The JDK and the task API, nothing else of the master. */
  private static ClassLoader apiOnly() {
    return new ClassLoader("rmiq-api-only", ClassLoader.getPlatformClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith("org.rmiq.api.")) {
          return Class.forName(name, false, TaskHandler.class.getClassLoader());
        }
        return super.loadClass(name, resolve);
      }
    };
  }
}
