package org.rmiq.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The masters and workers one test starts, in its temporary folder with one token; every one of
 * them is ended by PID after the test. Register with {@code @RegisterExtension}.
 */
final class Processes implements AfterEachCallback {
  private final String token;
  private final List<JvmProcess> started = new ArrayList<>();
  private Path dir;

  Processes(String token) {
    this.token = token;
  }

  /** The folder the processes run in (the test's {@code @TempDir}); call before starting. */
  Processes in(Path dir) {
    this.dir = dir;
    return this;
  }

  JvmProcess master(String... args) throws IOException {
    return track(
        JvmProcess.start("master-" + started.size(), dir, JvmProcess.masterJar(), token, args));
  }

  JvmProcess worker(String name, String... args) throws IOException {
    return track(JvmProcess.start(name, dir, JvmProcess.workerJar(), token, args));
  }

  /** Any jar's JVM, with this test's token, in its folder. */
  JvmProcess start(String name, Path jar, String... args) throws IOException {
    return track(JvmProcess.start(name, dir, jar, token, args));
  }

  /** {@code rmiq-submit} from this machine (its teacher key) to the master on {@code port}. */
  JvmProcess submit(String name, int port, String... job) throws IOException {
    String[] args = new String[job.length + 2];
    args[0] = "submit";
    args[1] = "127.0.0.1:" + port;
    System.arraycopy(job, 0, args, 2, job.length);
    return start(name, JvmProcess.masterJar(), args);
  }

  JvmProcess track(JvmProcess process) {
    started.add(process);
    return process;
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    for (JvmProcess p : started) {
      p.close();
    }
    started.clear();
  }
}
