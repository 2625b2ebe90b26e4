package org.rmiq.cli.master.session;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

/**
 * Where a session writes while its prompt stays live: on a terminal, every line goes above the line
 * being typed (JLine's {@code printAbove}, which redraws the prompt and what was typed so far) and
 * the running job's progress sits in a status line at the bottom; elsewhere (a pipe, a file), lines
 * go to standard output and error as they are, and progress is printed as lines.
 */
interface Console {
  /** Results and command answers. */
  PrintStream out();

  /** Messages, notices, summaries. */
  PrintStream err();

  /** Shows {@code line} as the running job's progress; an empty one clears it. */
  void status(String line);

  /** Whether {@link #status} shows anything (else progress is printed as lines). */
  boolean hasStatusLine();

  /** Plain streams: for standard input that is a file or a pipe, and for tests. */
  static Console plain(PrintStream out, PrintStream err) {
    return new Console() {
      @Override
      public PrintStream out() {
        return out;
      }

      @Override
      public PrintStream err() {
        return err;
      }

      @Override
      public void status(String line) {}

      @Override
      public boolean hasStatusLine() {
        return false;
      }
    };
  }

  /** A terminal's prompt: lines above it, progress in JLine's status line. */
  static Console above(LineReader reader) {
    PrintStream lines =
        new PrintStream(new LinesAbove(reader::printAbove), true, StandardCharsets.UTF_8);
    Status status = Status.getStatus(reader.getTerminal());
    boolean supported = status != null;
    return new Console() {
      @Override
      public PrintStream out() {
        return lines;
      }

      @Override
      public PrintStream err() {
        return lines;
      }

      @Override
      public synchronized void status(String line) {
        if (supported) {
          status.update(line.isEmpty() ? List.of() : List.of(new AttributedString(line)));
        }
      }

      @Override
      public boolean hasStatusLine() {
        return supported;
      }
    };
  }

  /** Collects bytes into lines and hands each complete one on, without its line break. */
  final class LinesAbove extends OutputStream {
    private final Consumer<String> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LinesAbove(Consumer<String> sink) {
      this.sink = sink;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        sink.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
      } else {
        line.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }
  }
}
