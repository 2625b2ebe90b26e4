package org.rmiq.cli.master.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.rmiq.cli.Terminals;

/**
 * Where a session's commands come from: a prompt with line editing, history and tab completion
 * (JLine) on a terminal in the foreground, which stays live while jobs run (their output prints
 * above it); the lines of standard input when it is a file or a pipe (its end does not end the
 * session); nothing in the background of a terminal, where reading would stop the process.
 */
public final class SessionPrompt implements Runnable, AutoCloseable {
  private final Session session;
  private final InputStream stdin;
  private final PrintStream out;
  private final PrintStream err;

  /** The prompt's terminal while it is open, so ending the session can restore it. */
  private volatile Terminal terminal;

  SessionPrompt(Session session, InputStream stdin, PrintStream out, PrintStream err) {
    this.session = session;
    this.stdin = stdin;
    this.out = out;
    this.err = err;
  }

  @Override
  public void run() {
    if (!Terminals.isInteractive()) {
      readLines(Console.plain(out, err));
    } else if (inBackground()) {
      err.println(
          "run-master: running in the background: no prompt here; send jobs with"
              + " rmiq-submit.sh, stop with kill (or fg, then quit)");
      session.promptReady(Console.plain(out, err)); // resumed jobs still print here
    } else {
      prompt();
    }
  }

  /** Gives the terminal back as it was (the session ends while the prompt waits for a line). */
  @Override
  public void close() {
    Terminal open = terminal;
    if (open != null) {
      try {
        open.close();
      } catch (IOException e) {
        // the terminal is going away with the process anyway
      }
    }
  }

  private void prompt() {
    try (Terminal terminal = TerminalBuilder.builder().system(true).nativeSignals(false).build()) {
      this.terminal = terminal;
      LineReader reader =
          LineReaderBuilder.builder()
              .terminal(terminal)
              .appName("rmiq")
              .completer(new StringsCompleter(Session.completions()))
              .build();
      Console console = Console.above(reader);
      session.promptReady(console);
      out.println("type a job (e.g. square 1..100), or help; quit ends the session");
      while (!session.isStopping()) {
        String line;
        try {
          line = reader.readLine("rmiq> ");
        } catch (UserInterruptException e) {
          if (!session.interrupt(console)) {
            return; // Ctrl-C with no job running ends the session
          }
          continue; // it cancelled the running job: the prompt stays
        } catch (EndOfFileException e) {
          session.stop(); // Ctrl-D (or the session closed the terminal)
          return;
        }
        if (!session.command(words(line), console)) {
          return;
        }
      }
    } catch (IOException e) {
      err.println("run-master: no prompt (" + e.getMessage() + "); reading lines instead");
      readLines(Console.plain(out, err));
    } finally {
      terminal = null;
    }
  }

  /** Commands from a file or pipe, one per line; its end leaves the session running. */
  private void readLines(Console console) {
    session.promptReady(console);
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (!session.command(words(line), console)) {
          return;
        }
      }
    } catch (IOException e) {
      err.println("run-master: stopped reading standard input: " + e.getMessage());
    }
  }

  /** Splits a line into words, keeping 'single' or "double" quoted parts together. */
  public static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  /**
   * Whether this process runs in the background of its terminal (Linux: its process group is not
   * the terminal's foreground group), where reading the terminal would stop it.
   */
  static boolean inBackground() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.UTF_8);
      List<String> fields =
          com.google.common.base.Splitter.on(' ')
              .omitEmptyStrings()
              .splitToList(stat.substring(stat.lastIndexOf(')') + 1));
      // after the command: state ppid pgrp session tty_nr tpgid ...
      long pgrp = Long.parseLong(fields.get(2));
      long tpgid = Long.parseLong(fields.get(5));
      return tpgid > 0 && tpgid != pgrp;
    } catch (IOException | RuntimeException e) {
      return false; // not Linux: assume the foreground
    }
  }
}
