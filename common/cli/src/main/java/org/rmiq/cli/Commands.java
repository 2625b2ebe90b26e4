package org.rmiq.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every rmiq command reports a mistake on its command line: the error in one line, the nearest
 * option when one was misspelled, and one line pointing at {@code --help} (the full usage would
 * scroll the message away). Exit code 2.
 */
public final class Commands {
  private Commands() {}

  /** Exit code for bad usage. */
  public static final int USAGE = 2;

  /**
   * A command line with rmiq's error handling; {@code @FILE} stays rmiq's own syntax. {@code
   * command} is a {@link CommandModel} model or an annotated command.
   */
  public static CommandLine of(Object command) {
    CommandLine line = new CommandLine(command).setExpandAtFiles(false);
    addHelpOptions(line.getCommandSpec());
    line.setParameterExceptionHandler(Commands::usageError);
    return line;
  }

  /**
   * {@code -h, --help} and {@code -V, --version}, last, as picocli's {@code
   * mixinStandardHelpOptions} adds them to an annotated command; a command that has a help option
   * already keeps its own.
   */
  static void addHelpOptions(CommandSpec spec) {
    for (OptionSpec option : spec.options()) {
      if (option.usageHelp()) {
        return;
      }
    }
    spec.addOption(
        OptionSpec.builder("-h", "--help")
            .usageHelp(true)
            .type(boolean.class)
            .description("Show this help message and exit.")
            .build());
    spec.addOption(
        OptionSpec.builder("-V", "--version")
            .versionHelp(true)
            .type(boolean.class)
            .description("Print version information and exit.")
            .build());
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    String name = line.getCommandName().replace(".sh", "");
    PrintWriter err = line.getErr();
    err.println(name + ": " + e.getMessage());
    if (e instanceof UnmatchedArgumentException unmatched) {
      for (String arg : unmatched.getUnmatched()) {
        if (arg.startsWith("-")) {
          List<String> near = nearest(arg, line);
          if (!near.isEmpty()) {
            err.println(name + ": did you mean " + String.join(" or ", near) + "?");
          }
          break;
        }
      }
    }
    err.println(name + ": see " + line.getCommandName() + " --help for every option");
    err.flush();
    return USAGE;
  }

  /** The options closest to {@code typed}: one or two edits away (a swap counts one). */
  static List<String> nearest(String typed, CommandLine line) {
    String bare = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
    List<String> names = new ArrayList<>();
    for (OptionSpec option : line.getCommandSpec().options()) {
      names.addAll(List.of(option.names()));
    }
    int best = Integer.MAX_VALUE;
    List<String> nearest = new ArrayList<>();
    for (String name : names) {
      int d = distance(bare, name);
      if (d < best) {
        best = d;
        nearest.clear();
      }
      if (d == best) {
        nearest.add(name);
      }
    }
    if (best > 2) {
      nearest.clear();
      for (String name : names) {
        if (name.startsWith(bare) && bare.length() >= 3) {
          nearest.add(name);
        }
      }
    }
    nearest.sort(Comparator.naturalOrder());
    return nearest.subList(0, Math.min(3, nearest.size()));
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
