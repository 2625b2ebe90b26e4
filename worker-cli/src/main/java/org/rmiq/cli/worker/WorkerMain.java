package org.rmiq.cli.worker;

import java.io.ObjectInputFilter;
import org.rmiq.internal.wire.RmiSettings;
import org.rmiq.internal.wire.SerialAllowList;
import picocli.CommandLine;

/** The worker command's entry point; see {@link WorkerCommand}. */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) {
    RmiSettings.apply();
    // Everything the master sends back passes rmiq's allow-list, stubs and errors included.
    ObjectInputFilter.Config.setSerialFilter(SerialAllowList.forWorker());
    System.exit(new CommandLine(new WorkerCommand(System.getenv(), System.err)).execute(args));
  }
}
