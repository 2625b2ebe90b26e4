package org.rmiq.cli.worker;

import org.rmiq.cli.CliSettings;
import org.rmiq.cli.Commands;
import org.rmiq.client.MasterClient;

/** The worker command's entry point; see {@link WorkerCommand}. */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) {
    CliSettings.install("run-worker");
    // Everything the master sends back passes rmiq's allow-list, stubs and errors included.
    MasterClient.prepareJvm();
    System.exit(Commands.of(new WorkerCommand(System.getenv(), System.err)).execute(args));
  }
}
