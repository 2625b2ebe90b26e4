package org.rmiq.cli.worker;

import org.rmiq.cli.CliSettings;
import org.rmiq.cli.Commands;
import org.rmiq.cli.JarRelaunch;
import org.rmiq.client.MasterClient;

/** The worker command's entry point; see {@link WorkerCommand}. */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) {
    // java -jar rmiq-worker.jar: again in a JVM with its class-data archive, as the scripts start
    // it (512 MiB, as run-worker.sh); returns in that JVM, and in any JVM given options
    JarRelaunch.ifPlainJar(args, "512m");
    JarRelaunch.watchLauncher();
    CliSettings.install("run-worker");
    // Everything the master sends back passes rmiq's allow-list, stubs and errors included.
    MasterClient.prepareJvm();
    System.exit(Commands.of(new WorkerCommand(System.getenv(), System.err).model()).execute(args));
  }
}
