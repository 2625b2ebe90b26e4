package org.rmiq.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A handler's successful answer: the value, named details (see {@link TaskResult#details}) and,
 * optionally, a file the handler wrote on the worker, which the worker sends to a master that
 * collects files. Stays on the worker; only the value and details travel in the result.
 *
 * @param value the result, as text
 * @param details named facts about the result, e.g. {@code bytes} and {@code sha256}
 * @param file a file the task produced, or null
 */
public record TaskAnswer(String value, Map<String, String> details, Path file) {

  public TaskAnswer {
    Objects.requireNonNull(value, "value");
    details = Map.copyOf(details);
  }

  public static TaskAnswer of(String value) {
    return new TaskAnswer(value, Map.of(), null);
  }
}
