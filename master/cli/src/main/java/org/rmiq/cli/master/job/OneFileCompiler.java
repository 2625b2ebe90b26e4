package org.rmiq.cli.master.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.rmiq.api.BadInputException;
import org.rmiq.api.TaskAnswer;
import org.rmiq.api.TaskFailedException;
import org.rmiq.api.TaskHandler;

/**
 * Compiles a student's one-file task kind with the JDK's compiler ({@code javax.tools}) into a jar
 * workers load: {@code FILE.java} holds one public class with a {@code public static apply(String)}
 * method (any return value; its {@code toString()} is the result), for which a small {@code
 * TaskHandler} adapter is generated, or a class that implements {@code TaskHandler} itself. The
 * kind is the class name in lower case.
 *
 * <p>It compiles against the task API alone (the classes a worker shows shipped code), with
 * annotation processing off, and never loads or runs the compiled code here: a submitter's code
 * runs only on workers that accept code. The jar is built byte for byte the same from the same
 * source, so workers that already have it fetch nothing.
 */
public final class OneFileCompiler {
  private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

  /** The largest source file accepted. */
  static final int MAX_SOURCE_BYTES = 1 << 20;

  /** Jar entries carry this time, so the same source gives the same jar (and SHA-256). */
  private static final long FIXED_TIME = 946_684_800_000L; // 2000-01-01

  private static final List<Class<?>> API =
      List.of(
          TaskHandler.class, TaskAnswer.class, BadInputException.class, TaskFailedException.class);

  private static Path apiClasses;

  private OneFileCompiler() {}

  /** A compiled kind: its jar and the kind it provides. */
  record Compiled(String kind, String className, byte[] jar) {}

  /**
   * @param shown the file as the user typed it, for messages
   * @throws IllegalArgumentException with javac's messages (file, line, caret) when it does not
   *     compile, or why it cannot be a task kind
   */
  static Compiled compile(String shown, byte[] source) {
    String fileName = Path.of(shown).getFileName().toString();
    if (!fileName.endsWith(".java")) {
      throw new IllegalArgumentException(
          "run takes a Java source file named after its class, e.g. run Collatz.java 1..100; got '"
              + shown
              + "'");
    }
    String className = fileName.substring(0, fileName.length() - ".java".length());
    if (!CLASS_NAME.matcher(className).matches()) {
      throw new IllegalArgumentException(
          shown + ": '" + className + "' is not a Java class name; name the file after its class");
    }
    String kind = kindOf(className);
    if (source.length > MAX_SOURCE_BYTES) {
      throw new IllegalArgumentException(
          shown + " is " + source.length + " bytes; a one-file kind may have at most 1 MiB");
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalArgumentException(
          "run needs the JDK's compiler, and this Java is a runtime only; start the master with"
              + " a JDK (java from a JDK 17 or newer)");
    }
    String text = new String(source, StandardCharsets.UTF_8);
    Source user = new Source(fileName, text);

    // First pass: what is it, and in which package? Analysis only, nothing generated, nothing run.
    Found found = analyze(javac, shown, user, className);
    Shape shape = found.shape();
    String qualified = found.qualified();
    String packageName =
        qualified.contains(".") ? qualified.substring(0, qualified.lastIndexOf('.')) : "";
    List<Source> sources = new ArrayList<>(List.of(user));
    String handler = qualified;
    if (shape == Shape.APPLY) {
      String adapter = "RmiqAdapter" + className;
      sources.add(
          new Source(adapter + ".java", adapterSource(packageName, adapter, className, kind)));
      handler = packageName.isEmpty() ? adapter : packageName + "." + adapter;
    }
    Map<String, byte[]> classes = generate(javac, shown, sources);
    return new Compiled(kind, qualified, jar(classes, handler));
  }

  /** The kind a class provides: its name in lower case. */
  static String kindOf(String className) {
    String kind = className.toLowerCase(Locale.ROOT);
    try {
      return org.rmiq.api.TaskKinds.check(kind);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "class "
              + className
              + " gives the kind '"
              + kind
              + "', which is not valid: a kind is 1 to 32 lower-case letters, digits, '-' or '_';"
              + " rename the class (and its file)");
    }
  }

  private enum Shape {
    APPLY,
    HANDLER
  }

  /** The file's public class: its shape and its name with its package. */
  private record Found(Shape shape, String qualified) {}

  private static Found analyze(JavaCompiler javac, String shown, Source user, String className) {
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (MemoryFiles files = new MemoryFiles(javac)) {
      var task =
          (com.sun.source.util.JavacTask)
              javac.getTask(null, files, diagnostics, options(), null, List.of(user));
      Iterable<? extends Element> elements;
      try {
        elements = task.analyze();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      failOnErrors(shown, user.text, diagnostics);
      for (Element element : elements) {
        // javac names the package: no pattern over the source (one was quadratic in blank lines)
        if (element instanceof TypeElement type
            && type.getSimpleName().contentEquals(className)
            && type.getEnclosingElement().getKind() == ElementKind.PACKAGE) {
          return new Found(shapeOf(shown, type), type.getQualifiedName().toString());
        }
      }
      throw new IllegalArgumentException(
          shown + " must declare the public class " + className + " (the file's name)");
    }
  }

  private static Shape shapeOf(String shown, TypeElement type) {
    String name = type.getSimpleName().toString();
    if (!type.getModifiers().contains(Modifier.PUBLIC)) {
      throw new IllegalArgumentException(shown + ": make class " + name + " public");
    }
    boolean handler =
        type.getInterfaces().stream()
            .anyMatch(i -> i.toString().equals(TaskHandler.class.getName()));
    if (handler) {
      if (type.getModifiers().contains(Modifier.ABSTRACT)) {
        throw new IllegalArgumentException(shown + ": class " + name + " must not be abstract");
      }
      return Shape.HANDLER;
    }
    for (Element member : type.getEnclosedElements()) {
      if (member.getKind() == ElementKind.METHOD
          && member.getSimpleName().contentEquals("apply")
          && member.getModifiers().containsAll(Set.of(Modifier.PUBLIC, Modifier.STATIC))) {
        ExecutableElement method = (ExecutableElement) member;
        if (method.getParameters().size() == 1
            && method.getParameters().get(0).asType().toString().equals("java.lang.String")
            && !method.getReturnType().getKind().equals(javax.lang.model.type.TypeKind.VOID)) {
          return Shape.APPLY;
        }
      }
    }
    throw new IllegalArgumentException(
        shown
            + ": class "
            + name
            + " needs a method 'public static RESULT apply(String input)' that returns a value"
            + " (its toString() is the result), or to implement org.rmiq.api.TaskHandler");
  }

  private static Map<String, byte[]> generate(
      JavaCompiler javac, String shown, List<Source> sources) {
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (MemoryFiles files = new MemoryFiles(javac)) {
      boolean ok = javac.getTask(null, files, diagnostics, options(), null, sources).call();
      failOnErrors(shown, sources.get(0).text, diagnostics);
      if (!ok) {
        throw new IllegalArgumentException(shown + " did not compile");
      }
      return files.classes();
    }
  }

  private static List<String> options() {
    return List.of(
        "--release", "17", "-proc:none", "-implicit:none", "-classpath", apiClasses().toString());
  }

  /** Throws with every error as javac shows it: file:line: error: message, the line, a caret. */
  private static void failOnErrors(
      String shown, String text, DiagnosticCollector<JavaFileObject> diagnostics) {
    List<String> errors = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      String where =
          d.getSource() != null && d.getSource().getName().contains("RmiqAdapter")
              ? shown + " (the generated adapter)"
              : shown;
      StringBuilder error = new StringBuilder();
      long line = d.getLineNumber();
      error.append(where);
      if (line > 0) {
        error.append(':').append(line);
      }
      error.append(": error: ").append(d.getMessage(Locale.ROOT));
      if (line > 0 && line <= lines.length && where.equals(shown)) {
        String source = lines[(int) line - 1];
        error.append('\n').append(source);
        long column = d.getColumnNumber();
        if (column > 0) {
          StringBuilder caret = new StringBuilder();
          for (int i = 0; i < column - 1 && i < source.length(); i++) {
            caret.append(source.charAt(i) == '\t' ? '\t' : ' ');
          }
          error.append('\n').append(caret).append('^');
        }
      }
      errors.add(error.toString());
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          String.join("\n", errors)
              + "\n"
              + errors.size()
              + (errors.size() == 1 ? " error" : " errors"));
    }
  }

  private static String adapterSource(String pkg, String adapter, String className, String kind) {
    return (pkg.isEmpty() ? "" : "package " + pkg + ";\n")
        + "/** Generated by rmiq: runs "
        + className
        + ".apply as the task kind '"
        + kind
        + "'. */\n"
        + "public final class "
        + adapter
        + " implements org.rmiq.api.TaskHandler {\n"
        + "  @Override public String kind() { return \""
        + kind
        + "\"; }\n"
        + "  @Override public String execute(String input) throws Exception {\n"
        + "    try {\n"
        + "      return String.valueOf("
        + className
        + ".apply(input));\n"
        + "    } catch (IllegalArgumentException e) {\n"
        + "      throw new org.rmiq.api.BadInputException(String.valueOf(e.getMessage()));\n"
        + "    }\n"
        + "  }\n"
        + "}\n";
  }

  private static byte[] jar(Map<String, byte[]> classes, String handler) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> c : new TreeMap<>(classes).entrySet()) {
        JarEntry entry = new JarEntry(c.getKey().replace('.', '/') + ".class");
        entry.setTime(FIXED_TIME);
        jar.putNextEntry(entry);
        jar.write(c.getValue());
      }
      JarEntry services = new JarEntry("META-INF/services/" + TaskHandler.class.getName());
      services.setTime(FIXED_TIME);
      jar.putNextEntry(services);
      jar.write((handler + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The task API's classes in a folder of their own: the only classes shipped code sees. */
  private static synchronized Path apiClasses() {
    if (apiClasses == null) {
      try {
        Path dir = Files.createTempDirectory("rmiq-api-");
        for (Class<?> type : API) {
          String path = type.getName().replace('.', '/') + ".class";
          Path target = dir.resolve(path);
          Files.createDirectories(target.getParent());
          try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
            Files.copy(in, target);
          }
          target.toFile().deleteOnExit();
        }
        apiClasses = dir;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare the task API for javac", e);
      }
    }
    return apiClasses;
  }

  /** A source file in memory. */
  private static final class Source extends SimpleJavaFileObject {
    final String text;

    Source(String fileName, String text) {
      super(URI.create("string:///" + fileName), Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }

  /** Keeps compiled classes in memory instead of writing them to disk. */
  private static final class MemoryFiles
      extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Map<String, ByteArrayOutputStream> classes = new TreeMap<>();

    MemoryFiles(JavaCompiler javac) {
      super(javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8));
    }

    @Override
    public JavaFileObject getJavaFileForOutput(
        Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
      if (location != StandardLocation.CLASS_OUTPUT) {
        throw new IllegalArgumentException("unexpected output " + location);
      }
      return new SimpleJavaFileObject(
          URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
        @Override
        public OutputStream openOutputStream() {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          classes.put(className, out);
          return out;
        }
      };
    }

    Map<String, byte[]> classes() {
      Map<String, byte[]> done = new TreeMap<>();
      classes.forEach((name, out) -> done.put(name, out.toByteArray()));
      return done;
    }

    @Override
    public void close() {
      try {
        super.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
