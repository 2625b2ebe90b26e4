package org.rmiq.cli.worker;

import org.rmiq.cli.Commands;
import org.rmiq.internal.wire.RmiSettings;
import org.rmiq.worker.Worker;

/** The worker command's entry point; see {@link WorkerCommand}. */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) {
    RmiSettings.apply();
    // Everything the master sends back passes rmiq's allow-list, stubs and errors included.
    Worker.installSerialFilter();
    System.exit(Commands.of(new WorkerCommand(System.getenv(), System.err)).execute(args));
  }
}
