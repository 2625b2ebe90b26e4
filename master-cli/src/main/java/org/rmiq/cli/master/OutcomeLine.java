package org.rmiq.cli.master;

import org.rmiq.master.TaskOutcome;

/** The one-line form of a result printed on stdout, e.g. {@code 7 * 7 = 49 (alice@lab1)}. */
final class OutcomeLine {
  private OutcomeLine() {}

  static String format(TaskOutcome o) {
    String by = "  (" + o.worker() + ")";
    if (!o.ok()) {
      return "task "
          + o.id()
          + " "
          + o.kind()
          + " "
          + o.input()
          + " FAILED after "
          + o.attempts()
          + " attempt(s): "
          + o.error()
          + by;
    }
    return switch (o.kind()) {
      case "square" -> o.input() + " * " + o.input() + " = " + o.value() + by;
      case "sleep" -> "task " + o.id() + ": " + o.value() + by;
      case "rangesum" -> "task " + o.id() + ": sum " + o.input() + " = " + o.value() + by;
      case "wordcount" ->
          "task "
              + o.id()
              + ": counted "
              + o.value().lines().count()
              + " distinct word(s) in "
              + o.input().length()
              + " characters"
              + by;
      case "download" ->
          o.input()
              + " -> "
              + o.value()
              + " ("
              + o.details().get("bytes")
              + " bytes"
              + (o.details().containsKey("collected")
                  ? ", collected as " + o.details().get("collected")
                  : "")
              + ")"
              + by;
      default -> "task " + o.id() + " " + o.kind() + " " + o.input() + " = " + o.value() + by;
    };
  }
}
