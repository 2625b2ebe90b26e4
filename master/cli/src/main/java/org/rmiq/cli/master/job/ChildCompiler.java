package org.rmiq.cli.master.job;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.tools.ToolProvider;
import org.rmiq.util.Durations;

/**
 * Compiles a one-file kind in a child JVM with its own heap limit and a timeout, so a hostile or
 * broken source (a constant doubled until it fills any heap, a file of a million blank lines) costs
 * the master nothing but the wait: javac runs out of memory or time in the child, and the teacher
 * is told which.
 */
final class ChildCompiler {
  /** The child's heap: javac needs well under 100 MiB for a one-file kind. */
  static final int HEAP_MIB = 256;

  /** How long the child may take, start-up included (a normal file takes a second or two). */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The most the child's answer (a jar) may be. */
  private static final int MAX_ANSWER = 32 << 20;

  private ChildCompiler() {}

  /**
   * Like {@link OneFileCompiler#compile}, in a child JVM.
   *
   * @throws IllegalArgumentException with javac's errors, or why the compiler gave up
   */
  static OneFileCompiler.Compiled compile(String shown, byte[] source) {
    return compile(shown, source, TIMEOUT);
  }

  static OneFileCompiler.Compiled compile(String shown, byte[] source, Duration timeout) {
    if (source.length > OneFileCompiler.MAX_SOURCE_BYTES) {
      throw new IllegalArgumentException(
          shown + " is " + source.length + " bytes; a one-file kind may have at most 1 MiB");
    }
    if (ToolProvider.getSystemJavaCompiler() == null) {
      throw new IllegalArgumentException(
          "run needs the JDK's compiler, and this Java is a runtime only; start the master with"
              + " a JDK (java from a JDK 17 or newer)");
    }
    Process child;
    try {
      child =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-Xmx" + HEAP_MIB + "m",
                      "-XX:+ExitOnOutOfMemoryError",
                      "-XX:+UseSerialGC",
                      "-XX:TieredStopAtLevel=1",
                      "-cp",
                      System.getProperty("java.class.path"),
                      CompileMain.class.getName(),
                      shown))
              .redirectError(ProcessBuilder.Redirect.PIPE)
              .start();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot start the compiler ("
              + e.getMessage()
              + "); check that this Java can start"
              + " another JVM");
    }
    try {
      CompletableFuture<byte[]> answer = readAsync(child.getInputStream(), MAX_ANSWER);
      CompletableFuture<byte[]> errors = readAsync(child.getErrorStream(), 64 << 10);
      try (OutputStream in = child.getOutputStream()) {
        in.write(source);
      } catch (IOException e) {
        // the child ended early: its exit code and stderr say why
      }
      if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalArgumentException(
            "compiling "
                + shown
                + " took longer than "
                + Durations.format(timeout)
                + " and was stopped; simplify the file (no huge constants or generated code)");
      }
      int exit = child.exitValue();
      byte[] out = answer.get(5, TimeUnit.SECONDS);
      if (exit == CompileMain.OK) {
        return decode(out);
      }
      if (exit == CompileMain.REFUSED) {
        throw new IllegalArgumentException(new String(out, StandardCharsets.UTF_8));
      }
      String err = new String(errors.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      // -XX:+ExitOnOutOfMemoryError says so on stdout, other JVMs on stderr
      if (err.contains("OutOfMemoryError")
          || new String(out, StandardCharsets.ISO_8859_1).contains("OutOfMemoryError")) {
        throw new IllegalArgumentException(
            "compiling "
                + shown
                + " needed more than "
                + HEAP_MIB
                + " MiB of memory and was stopped; simplify the file (no huge constants or"
                + " generated code)");
      }
      throw new IllegalArgumentException(
          "the compiler stopped with exit code " + exit + " on " + shown + firstLine(err));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("compiling " + shown + " was interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalArgumentException(
          "the compiler's answer for " + shown + " could not be read (" + e + ")");
    } finally {
      child.destroyForcibly();
    }
  }

  private static OneFileCompiler.Compiled decode(byte[] out) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(out))) {
      String kind = in.readUTF();
      String className = in.readUTF();
      byte[] jar = new byte[in.readInt()];
      in.readFully(jar);
      return new OneFileCompiler.Compiled(kind, className, jar);
    } catch (IOException e) {
      throw new IllegalArgumentException("the compiler's answer was cut short (" + e + ")");
    }
  }

  private static String firstLine(String err) {
    String line = err.strip().lines().findFirst().orElse("");
    return line.isEmpty() ? "" : ": " + line;
  }

  /** Reads a stream to its end on another thread, keeping at most {@code max} bytes. */
  private static CompletableFuture<byte[]> readAsync(InputStream stream, int max) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            byte[] kept = stream.readNBytes(max);
            stream.transferTo(OutputStream.nullOutputStream()); // the child must not block
            return kept;
          } catch (IOException e) {
            return new byte[0];
          }
        },
        work -> { // a thread of its own: the common pool may have a single thread
          Thread reader = new Thread(work, "rmiq-compiler-output");
          reader.setDaemon(true);
          reader.start();
        });
  }
}
