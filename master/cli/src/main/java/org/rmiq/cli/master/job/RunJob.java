package org.rmiq.cli.master.job;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code run FILE.java INPUTS}: a student's one-file task kind, compiled here and shipped to the
 * workers that accept code ({@code --accept-code}). INPUTS as for {@code task}.
 */
public final class RunJob extends JobKind {
  private final String kind;
  private final List<String> inputs;
  private final String code;
  private final String file;

  private RunJob(String spec, String file, String kind, List<String> inputs, String code) {
    super(spec);
    this.file = file;
    this.kind = kind;
    this.inputs = inputs;
    this.code = code;
  }

  static RunJob parse(List<String> args, JobContext context) {
    if (args.size() != 2) {
      throw new IllegalArgumentException(
          "job run takes a Java file and its inputs (run FILE.java INPUTS, e.g. run Collatz.java"
              + " 1..100), got "
              + args.size()
              + " argument(s)");
    }
    if (context.code() == null) {
      throw new IllegalArgumentException("this master cannot ship code to workers");
    }
    String file = args.get(0);
    String name = Path.of(file).getFileName().toString();
    String kindNamed =
        OneFileCompiler.kindOf(
            name.endsWith(".java") ? name.substring(0, name.length() - 5) : name);
    if (org.rmiq.api.TaskKinds.BUILT_IN.contains(kindNamed)) {
      throw new IllegalArgumentException(
          file
              + " would ship the kind '"
              + kindNamed
              + "', which is built in: shipped code may never replace a built-in kind (its jobs"
              + " always run the workers' own code); rename the class and its file, e.g. My"
              + name);
    }
    OneFileCompiler.Compiled compiled = ChildCompiler.compile(file, context.sources().read(file));
    List<String> inputs = TaskJob.inputs(args.get(1), context.sources());
    String sha =
        context
            .code()
            .offer(compiled.className() + ".jar", compiled.jar(), List.of(compiled.kind()));
    return new RunJob("run " + file + " " + args.get(1), file, compiled.kind(), inputs, sha);
  }

  static RunJob described(String spec, String file) {
    String name = Path.of(file).getFileName().toString();
    String className = name.endsWith(".java") ? name.substring(0, name.length() - 5) : name;
    return new RunJob(spec, file, OneFileCompiler.kindOf(className), List.of(), null);
  }

  @Override
  public String title() {
    return inputs.size() + " " + kind + " task(s), compiled from " + file;
  }

  @Override
  String taskKind() {
    return kind;
  }

  @Override
  List<String> inputs() {
    return inputs;
  }

  @Override
  String code() {
    return code;
  }
}
