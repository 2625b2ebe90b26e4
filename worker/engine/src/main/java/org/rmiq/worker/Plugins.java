package org.rmiq.worker;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.rmiq.api.TaskHandler;
import org.rmiq.internal.wire.Task;
import org.rmiq.util.Setting;
import org.rmiq.util.SettingNames;

/**
 * Finds task handlers: the built-in ones and those in the jars of a plugins folder, each listed in
 * its jar's {@code META-INF/services/org.rmiq.api.TaskHandler} (Java's ServiceLoader).
 */
final class Plugins {
  private Plugins() {}

  /** The handlers on the worker's own class path (the built-in kinds). */
  static Map<String, TaskHandler> builtIn() {
    return load(ServiceLoader.load(TaskHandler.class), "the worker");
  }

  /**
   * The handlers in the jars of {@code folder}, loaded with their own class loader.
   *
   * @throws IllegalArgumentException naming the folder or jar and what is wrong
   */
  static Map<String, TaskHandler> fromFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          "the plugin folder "
              + folder
              + " ("
              + SettingNames.of(Setting.WORKER_PLUGINS)
              + ") is not a folder; create it and put plugin jars in it");
    }
    List<URL> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        jars.add(jar.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("the plugin folder " + folder + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the plugin folder " + folder + " cannot be read: " + e, e);
    }
    ClassLoader loader =
        new URLClassLoader(
            "rmiq-plugins", jars.toArray(URL[]::new), Plugins.class.getClassLoader());
    Map<String, TaskHandler> found =
        load(ServiceLoader.load(TaskHandler.class, loader), "the plugin folder " + folder);
    builtIn().keySet().forEach(found::remove); // the parent loader's own handlers
    return found;
  }

  /** Adds {@code more} to {@code handlers}, refusing a kind that two handlers claim. */
  static void merge(Map<String, TaskHandler> handlers, Map<String, TaskHandler> more) {
    more.forEach(
        (kind, handler) -> {
          TaskHandler existing = handlers.putIfAbsent(kind, handler);
          if (existing != null && existing.getClass() != handler.getClass()) {
            throw new IllegalArgumentException(
                "task kind '"
                    + kind
                    + "' is provided twice, by "
                    + existing.getClass().getName()
                    + " and "
                    + handler.getClass().getName()
                    + "; remove one of the plugin jars");
          }
        });
  }

  private static Map<String, TaskHandler> load(ServiceLoader<TaskHandler> loader, String where) {
    Map<String, TaskHandler> handlers = new HashMap<>();
    try {
      for (TaskHandler handler : loader) {
        String kind;
        try {
          kind = Task.checkKind(handler.kind());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              where + ": " + handler.getClass().getName() + ": " + e.getMessage(), e);
        }
        merge(handlers, Map.of(kind, handler));
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalArgumentException(
          where
              + ": a task handler could not be loaded: "
              + e.getMessage()
              + " (is it a public class with a public no-argument constructor?)",
          e);
    }
    return handlers;
  }
}
